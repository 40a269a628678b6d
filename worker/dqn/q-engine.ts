import type { AdamState, TrainingBatch } from './mlp.js';

/** Which implementation trains the Q-network: the JS kernel (fast) or TensorFlow.js (the reference). */
export type EngineKind = 'js' | 'tfjs';

/** What both engines need to build the same network, loss, clipping and optimiser. */
export interface QEngineConfig {
  inputSize: number;
  hiddenLayers: readonly number[];
  actions: number;
  maxBatch: number;
  learningRate: number;
  gamma: number;
  huberDelta: number;
  clipNorm: number;
}

/** Everything an engine needs to resume bit for bit: both networks and the optimiser. */
export interface EngineState {
  online: Float32Array;
  target: Float32Array;
  adam: AdamState;
}

/** A Q-network trainer: online + target network, Huber loss, global-norm clipping, Adam. */
export interface QEngine {
  readonly kind: EngineKind;
  /** Online network's Q-values for one observation, written to `out` (length = actions). */
  qValues(obs: Float32Array, out: Float32Array): void;
  /** One gradient update on the batch (targets from the target network); returns the mean Huber loss. */
  train(batch: TrainingBatch): number;
  /** Copies the online weights into the target network. */
  syncTarget(): void;
  /** A deep copy of the state, for checkpoints and model export. */
  getState(): EngineState;
  /** Replaces the state (shapes must match). */
  setState(state: EngineState): void;
  /** A batch buffer the engine reads without copying, when it has one (else the agent makes its own). */
  createBatch?(): TrainingBatch;
  /** Frees tensors (tfjs); a no-op for the JS kernel. */
  dispose(): void;
}

/** Clones an AdamState (checkpoints must not alias the live arrays). */
export function cloneAdamState(state: AdamState): AdamState {
  return {
    m: Float64Array.from(state.m),
    v: Float64Array.from(state.v),
    beta1Power: state.beta1Power,
    beta2Power: state.beta2Power,
    step: state.step,
  };
}

/** Throws a clear error when a restored state does not fit the network. */
export function checkStateShape(state: EngineState, paramCount: number): void {
  for (const [name, length] of [
    ['online', state.online.length],
    ['target', state.target.length],
    ['adam.m', state.adam.m.length],
    ['adam.v', state.adam.v.length],
  ] as const) {
    if (length !== paramCount) {
      throw new Error(`engine state: ${name} has ${length} values, the network has ${paramCount} parameters`);
    }
  }
}
