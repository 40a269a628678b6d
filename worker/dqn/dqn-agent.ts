import { type DqnHyperparameters, DqnHyperparametersSchema } from '../../shared/index.js';
import { Rng } from '../rng.js';
import { readAgentCheckpoint, writeAgentCheckpoint } from './agent-checkpoint.js';
import { JsQEngine } from './js-q-engine.js';
import { initGlorotUniform, type TrainingBatch } from './mlp.js';
import type { EngineKind, EngineState, QEngine, QEngineConfig } from './q-engine.js';
import { ReplayBuffer, type ReplayBufferState } from './replay-buffer.js';
import { TfjsQNetwork } from './tfjs-q-network.js';

export interface DqnAgentOptions {
  /** Observation width (features + position). */
  inputSize: number;
  /** Number of discrete actions (2: 0 = flat, 1 = long). */
  actions?: number;
  hyperparameters: DqnHyperparameters;
  seed: number;
  /** The job's total environment steps: epsilon decays over epsilonDecayFraction of them. */
  totalSteps: number;
  /** Training engine; 'js' (the fast kernel) unless told otherwise. */
  engine?: EngineKind;
}

/** Everything needed to resume an agent bit for bit. */
export interface AgentCheckpoint {
  version: 1;
  inputSize: number;
  actions: number;
  seed: number;
  totalSteps: number;
  engine: EngineKind;
  hyperparameters: DqnHyperparameters;
  steps: number;
  updates: number;
  lastLoss: number | null;
  actRng: number[];
  sampleRng: number[];
  network: EngineState;
  replay: ReplayBufferState;
}

/** The result of one observed transition. */
export interface ObserveResult {
  /** Mean Huber loss of the gradient update made on this step, or null when none was made. */
  loss: number | null;
}

/** Creates the engine of the given kind over the given initial parameters. */
function createEngine(kind: EngineKind, config: QEngineConfig, params: Float32Array): QEngine {
  if (kind === 'js') return new JsQEngine(config, params);
  if (kind === 'tfjs') return new TfjsQNetwork(config, params);
  throw new Error(`DqnAgent: unknown engine '${String(kind)}' (expected 'js' or 'tfjs')`);
}

/**
 * DQN: online + target Q-networks, replay buffer, epsilon-greedy with linear decay, warm-up,
 * an update every `trainEvery` steps, a target sync every `targetSyncEvery` steps, Huber loss,
 * global-norm clipping and Adam. Seeded: the same seed and engine give the same numbers.
 */
export class DqnAgent {
  readonly inputSize: number;
  readonly actionCount: number;
  readonly seed: number;
  readonly totalSteps: number;
  readonly hyperparameters: DqnHyperparameters;
  readonly engineKind: EngineKind;
  private readonly engine: QEngine;
  private readonly decaySteps: number;
  private replay: ReplayBuffer;
  private readonly batch: TrainingBatch;
  private actRng: Rng;
  private sampleRng: Rng;
  private readonly scratchQ: Float32Array;
  private stepCount = 0;
  private updateCount = 0;
  private lastLossValue: number | null = null;

  constructor(options: DqnAgentOptions, restoring?: AgentCheckpoint) {
    const parsed = DqnHyperparametersSchema.safeParse(options.hyperparameters);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `DqnAgent: hyperparameters.${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const hp = parsed.data;
    const actions = options.actions ?? 2;
    if (!Number.isInteger(options.inputSize) || options.inputSize <= 0) {
      throw new Error(`DqnAgent: inputSize must be a positive integer, got ${options.inputSize}`);
    }
    if (!Number.isInteger(actions) || actions < 2 || actions > 255) {
      throw new Error(`DqnAgent: actions must be an integer in 2..255, got ${actions}`);
    }
    if (!Number.isFinite(options.totalSteps) || options.totalSteps <= 0) {
      throw new Error(`DqnAgent: totalSteps must be positive, got ${options.totalSteps}`);
    }
    this.inputSize = options.inputSize;
    this.actionCount = actions;
    this.seed = options.seed;
    this.totalSteps = options.totalSteps;
    this.hyperparameters = hp;
    this.engineKind = options.engine ?? 'js';
    this.decaySteps = Math.max(1, Math.floor(hp.epsilonDecayFraction * options.totalSteps));
    // One seed, three independent streams: weights, exploration, replay sampling.
    const root = new Rng(options.seed);
    const initRng = root.fork();
    this.actRng = root.fork();
    this.sampleRng = root.fork();
    const config: QEngineConfig = {
      inputSize: this.inputSize,
      hiddenLayers: hp.hiddenLayers,
      actions,
      maxBatch: hp.batchSize,
      learningRate: hp.learningRate,
      gamma: hp.gamma,
      huberDelta: hp.huberDelta,
      clipNorm: hp.clipNorm,
    };
    const params = initGlorotUniform(
      { inputSize: this.inputSize, hiddenLayers: hp.hiddenLayers, outputSize: actions },
      initRng,
    );
    this.engine = createEngine(this.engineKind, config, params);
    this.replay = new ReplayBuffer(hp.replayCapacity, this.inputSize);
    this.batch = this.engine.createBatch?.() ?? this.replay.createBatch(hp.batchSize);
    this.scratchQ = new Float32Array(actions);
    if (restoring) this.restore(restoring);
  }

  /** Environment steps observed so far. */
  get steps(): number {
    return this.stepCount;
  }

  /** Gradient updates made so far. */
  get updates(): number {
    return this.updateCount;
  }

  /** Loss of the most recent update (null before the first). */
  get lastLoss(): number | null {
    return this.lastLossValue;
  }

  /** Transitions currently in the replay buffer. */
  get replaySize(): number {
    return this.replay.size;
  }

  /** Exploration rate now: linear from epsilonStart to epsilonEnd over epsilonDecayFraction of totalSteps. */
  get epsilon(): number {
    const { epsilonStart, epsilonEnd } = this.hyperparameters;
    if (this.stepCount >= this.decaySteps) return epsilonEnd;
    return epsilonStart + ((epsilonEnd - epsilonStart) * this.stepCount) / this.decaySteps;
  }

  /** Online Q-values for one observation, written to `out` (length = actions). */
  qValues(obs: Float32Array, out: Float32Array): Float32Array {
    this.checkObs(obs, 'qValues');
    this.engine.qValues(obs, out);
    return out;
  }

  /** The action with the highest Q-value (ties → the lower action index). */
  greedy(obs: Float32Array): number {
    const q = this.qValues(obs, this.scratchQ);
    let best = 0;
    for (let a = 1; a < this.actionCount; a++) if (q[a]! > q[best]!) best = a;
    return best;
  }

  /** Epsilon-greedy action from the seeded exploration stream. */
  act(obs: Float32Array): number {
    if (this.actRng.next() < this.epsilon) return this.actRng.int(this.actionCount);
    return this.greedy(obs);
  }

  /** Stores a transition, then trains and syncs the target network when their schedules say so. */
  observe(
    obs: Float32Array,
    action: number,
    reward: number,
    nextObs: Float32Array,
    done: boolean,
  ): ObserveResult {
    if (!Number.isInteger(action) || action < 0 || action >= this.actionCount) {
      throw new Error(`DqnAgent.observe: action ${action} is outside 0..${this.actionCount - 1}`);
    }
    if (!Number.isFinite(reward)) throw new Error(`DqnAgent.observe: reward must be finite, got ${reward}`);
    this.replay.add(obs, action, reward, nextObs, done);
    this.stepCount++;
    const hp = this.hyperparameters;
    let loss: number | null = null;
    if (
      this.stepCount >= hp.warmupSteps &&
      this.replay.size >= hp.batchSize &&
      this.stepCount % hp.trainEvery === 0
    ) {
      this.replay.sample(this.sampleRng, hp.batchSize, this.batch);
      loss = this.engine.train(this.batch);
      this.updateCount++;
      this.lastLossValue = loss;
    }
    if (this.stepCount % hp.targetSyncEvery === 0) this.engine.syncTarget();
    return { loss };
  }

  /** The online network's parameters (flat mlp.ts layout), e.g. for model export. */
  onlineParameters(): Float32Array {
    return this.engine.getState().online;
  }

  /**
   * Replaces the online network's weights (e.g. with the best-validation snapshot before the final
   * evaluation). Training state (target, optimiser, replay) is left as it is.
   */
  setOnlineParameters(params: Float32Array): void {
    const state = this.engine.getState();
    if (params.length !== state.online.length) {
      throw new Error(
        `DqnAgent.setOnlineParameters: expected ${state.online.length} values, got ${params.length}`,
      );
    }
    state.online.set(params);
    this.engine.setState(state);
  }

  /** A deep copy of everything needed to resume bit for bit. */
  getCheckpoint(): AgentCheckpoint {
    return {
      version: 1,
      inputSize: this.inputSize,
      actions: this.actionCount,
      seed: this.seed,
      totalSteps: this.totalSteps,
      engine: this.engineKind,
      hyperparameters: structuredClone(this.hyperparameters),
      steps: this.stepCount,
      updates: this.updateCount,
      lastLoss: this.lastLossValue,
      actRng: this.actRng.getState(),
      sampleRng: this.sampleRng.getState(),
      network: this.engine.getState(),
      replay: this.replay.getState(),
    };
  }

  /** Rebuilds an agent from a checkpoint; `engine` may override the engine it was trained with. */
  static fromCheckpoint(checkpoint: AgentCheckpoint, engine: EngineKind = checkpoint.engine): DqnAgent {
    return new DqnAgent(
      {
        inputSize: checkpoint.inputSize,
        actions: checkpoint.actions,
        hyperparameters: checkpoint.hyperparameters,
        seed: checkpoint.seed,
        totalSteps: checkpoint.totalSteps,
        engine,
      },
      checkpoint,
    );
  }

  /** Writes the checkpoint into `dir` (checkpoint.json + checkpoint.bin, each atomically). */
  async writeCheckpoint(dir: string): Promise<void> {
    await writeAgentCheckpoint(dir, this.getCheckpoint());
  }

  /** Reads a checkpoint written by writeCheckpoint() and rebuilds the agent. */
  static async readCheckpoint(dir: string, engine?: EngineKind): Promise<DqnAgent> {
    return DqnAgent.fromCheckpoint(await readAgentCheckpoint(dir), engine);
  }

  /** Frees the engine's tensors (tfjs engine). */
  dispose(): void {
    this.engine.dispose();
  }

  private restore(checkpoint: AgentCheckpoint): void {
    if (checkpoint.replay.obsSize !== this.inputSize) {
      throw new Error(
        `checkpoint: replay.obsSize ${checkpoint.replay.obsSize} ≠ inputSize ${this.inputSize}`,
      );
    }
    this.engine.setState(checkpoint.network);
    this.replay = ReplayBuffer.fromState(checkpoint.replay);
    this.actRng = Rng.fromState(checkpoint.actRng);
    this.sampleRng = Rng.fromState(checkpoint.sampleRng);
    this.stepCount = checkpoint.steps;
    this.updateCount = checkpoint.updates;
    this.lastLossValue = checkpoint.lastLoss;
  }

  private checkObs(obs: Float32Array, where: string): void {
    if (obs.length !== this.inputSize) {
      throw new Error(`DqnAgent.${where}: observation has ${obs.length} values, expected ${this.inputSize}`);
    }
  }
}
