import { type AdamState, MlpKernel, type TrainingBatch } from './mlp.js';
import {
  checkStateShape,
  cloneAdamState,
  type EngineState,
  type QEngine,
  type QEngineConfig,
} from './q-engine.js';

/** The Q-network trained by the hand-written kernel (see mlp.ts for why it exists). */
export class JsQEngine implements QEngine {
  readonly kind = 'js' as const;
  private readonly kernel: MlpKernel;
  private readonly online: Float32Array;
  private readonly target: Float32Array;
  private readonly adam: AdamState;
  private readonly targets: Float64Array;
  private readonly nextQ: Float64Array;

  constructor(
    private readonly config: QEngineConfig,
    initialParams: Float32Array,
  ) {
    this.kernel = new MlpKernel(
      { inputSize: config.inputSize, hiddenLayers: config.hiddenLayers, outputSize: config.actions },
      config.maxBatch,
    );
    if (initialParams.length !== this.kernel.paramCount) {
      throw new Error(
        `JsQEngine: ${initialParams.length} initial parameters, expected ${this.kernel.paramCount}`,
      );
    }
    // Both networks and Adam's moments live in the kernel's memory, where its loops use them in place.
    this.online = this.kernel.allocParams();
    this.target = this.kernel.allocParams();
    this.online.set(initialParams);
    this.target.set(initialParams);
    this.adam = this.kernel.allocAdamState();
    this.targets = new Float64Array(config.maxBatch);
    this.nextQ = new Float64Array(config.maxBatch * config.actions);
  }

  /** A batch whose states live in the kernel's memory: replay sampling writes where the kernel reads. */
  createBatch(): TrainingBatch {
    const rows = this.config.maxBatch;
    return {
      size: 0,
      obs: this.kernel.allocInput(),
      actions: new Uint8Array(rows),
      rewards: new Float32Array(rows),
      nextObs: this.kernel.allocInput(),
      dones: new Uint8Array(rows),
    };
  }

  qValues(obs: Float32Array, out: Float32Array): void {
    this.kernel.forward(this.online, obs, 1, out);
  }

  /** Bootstrapped targets r + γ·(1 − done)·max_a Q_target(s′, a), for tests and train(). */
  computeTargets(batch: TrainingBatch, out: Float64Array = this.targets): Float64Array {
    const { actions, gamma } = this.config;
    this.kernel.forward(this.target, batch.nextObs, batch.size, this.nextQ);
    for (let b = 0; b < batch.size; b++) {
      let best = this.nextQ[b * actions]!;
      for (let a = 1; a < actions; a++) best = Math.max(best, this.nextQ[b * actions + a]!);
      out[b] = batch.rewards[b]! + (batch.dones[b] ? 0 : gamma * best);
    }
    return out;
  }

  /** Loss and clipped gradients for a batch without applying them (for the reference tests). */
  lossAndClippedGradients(batch: TrainingBatch): { loss: number; grads: Float32Array } {
    const targets = this.computeTargets(batch);
    const loss = this.kernel.lossAndGradients(
      this.online,
      batch.obs,
      batch.actions,
      targets,
      batch.size,
      this.config.huberDelta,
    );
    this.kernel.clipGradients(this.config.clipNorm);
    return { loss, grads: this.kernel.gradients };
  }

  train(batch: TrainingBatch): number {
    const { loss } = this.lossAndClippedGradients(batch);
    this.kernel.adamStep(this.online, this.adam, this.config.learningRate);
    return loss;
  }

  syncTarget(): void {
    this.target.set(this.online);
  }

  getState(): EngineState {
    return {
      online: Float32Array.from(this.online),
      target: Float32Array.from(this.target),
      adam: cloneAdamState(this.adam),
    };
  }

  setState(state: EngineState): void {
    checkStateShape(state, this.kernel.paramCount);
    this.online.set(state.online);
    this.target.set(state.target);
    this.adam.m.set(state.adam.m);
    this.adam.v.set(state.adam.v);
    this.adam.beta1Power = state.adam.beta1Power;
    this.adam.beta2Power = state.adam.beta2Power;
    this.adam.step = state.adam.step;
  }

  dispose(): void {}
}
