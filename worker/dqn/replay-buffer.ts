import type { Rng } from '../rng.js';
import type { TrainingBatch } from './mlp.js';

/** The buffer's contents and cursor, for checkpoints. */
export interface ReplayBufferState {
  capacity: number;
  obsSize: number;
  /** Next slot to write. */
  cursor: number;
  /** Number of filled slots (≤ capacity). */
  size: number;
  obs: Float32Array;
  nextObs: Float32Array;
  actions: Uint8Array;
  rewards: Float32Array;
  dones: Uint8Array;
}

/** A ring buffer of transitions in typed arrays, sampled uniformly (with replacement) into a preallocated batch. */
export class ReplayBuffer {
  readonly capacity: number;
  readonly obsSize: number;
  private cursor = 0;
  private filled = 0;
  private readonly obs: Float32Array;
  private readonly nextObs: Float32Array;
  private readonly actions: Uint8Array;
  private readonly rewards: Float32Array;
  private readonly dones: Uint8Array;

  constructor(capacity: number, obsSize: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) {
      throw new Error(`ReplayBuffer: capacity must be a positive integer, got ${capacity}`);
    }
    if (!Number.isInteger(obsSize) || obsSize <= 0) {
      throw new Error(`ReplayBuffer: obsSize must be a positive integer, got ${obsSize}`);
    }
    this.capacity = capacity;
    this.obsSize = obsSize;
    this.obs = new Float32Array(capacity * obsSize);
    this.nextObs = new Float32Array(capacity * obsSize);
    this.actions = new Uint8Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.dones = new Uint8Array(capacity);
  }

  get size(): number {
    return this.filled;
  }

  /** Stores one transition, overwriting the oldest when full. */
  add(obs: Float32Array, action: number, reward: number, nextObs: Float32Array, done: boolean): void {
    if (obs.length !== this.obsSize || nextObs.length !== this.obsSize) {
      throw new Error(
        `ReplayBuffer.add: observations must have ${this.obsSize} values, got ${obs.length} and ${nextObs.length}`,
      );
    }
    const i = this.cursor;
    this.obs.set(obs, i * this.obsSize);
    this.nextObs.set(nextObs, i * this.obsSize);
    this.actions[i] = action;
    this.rewards[i] = reward;
    this.dones[i] = done ? 1 : 0;
    this.cursor = (i + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled++;
  }

  /** A batch with room for `batchSize` transitions, to be filled by sample(). */
  createBatch(batchSize: number): TrainingBatch {
    return {
      size: 0,
      obs: new Float32Array(batchSize * this.obsSize),
      actions: new Uint8Array(batchSize),
      rewards: new Float32Array(batchSize),
      nextObs: new Float32Array(batchSize * this.obsSize),
      dones: new Uint8Array(batchSize),
    };
  }

  /** Fills `batch` with `batchSize` uniformly drawn transitions (with replacement) from the seeded rng. */
  sample(rng: Rng, batchSize: number, batch: TrainingBatch): TrainingBatch {
    if (this.filled === 0) throw new Error('ReplayBuffer.sample: the buffer is empty');
    if (batch.actions.length < batchSize) {
      throw new Error(
        `ReplayBuffer.sample: batch holds ${batch.actions.length} rows, asked for ${batchSize}`,
      );
    }
    const f = this.obsSize;
    for (let b = 0; b < batchSize; b++) {
      const i = rng.int(this.filled);
      // Plain loops: subarray() would allocate two views per draw in the training hot path.
      const from = i * f;
      const to = b * f;
      for (let k = 0; k < f; k++) {
        batch.obs[to + k] = this.obs[from + k]!;
        batch.nextObs[to + k] = this.nextObs[from + k]!;
      }
      batch.actions[b] = this.actions[i]!;
      batch.rewards[b] = this.rewards[i]!;
      batch.dones[b] = this.dones[i]!;
    }
    batch.size = batchSize;
    return batch;
  }

  /** A copy of the contents and cursor (only the filled part of the arrays). */
  getState(): ReplayBufferState {
    const n = this.filled;
    const f = this.obsSize;
    return {
      capacity: this.capacity,
      obsSize: f,
      cursor: this.cursor,
      size: n,
      obs: this.obs.slice(0, n * f),
      nextObs: this.nextObs.slice(0, n * f),
      actions: this.actions.slice(0, n),
      rewards: this.rewards.slice(0, n),
      dones: this.dones.slice(0, n),
    };
  }

  /** Rebuilds a buffer saved with getState(). */
  static fromState(state: ReplayBufferState): ReplayBuffer {
    const buffer = new ReplayBuffer(state.capacity, state.obsSize);
    const n = state.size;
    const f = state.obsSize;
    if (!Number.isInteger(n) || n < 0 || n > state.capacity) {
      throw new Error(`replay buffer state: size ${n} is outside 0..${state.capacity}`);
    }
    if (!Number.isInteger(state.cursor) || state.cursor < 0 || state.cursor >= state.capacity) {
      throw new Error(`replay buffer state: cursor ${state.cursor} is outside 0..${state.capacity - 1}`);
    }
    const lengths: [string, number, number][] = [
      ['obs', state.obs.length, n * f],
      ['nextObs', state.nextObs.length, n * f],
      ['actions', state.actions.length, n],
      ['rewards', state.rewards.length, n],
      ['dones', state.dones.length, n],
    ];
    for (const [name, got, want] of lengths) {
      if (got !== want) throw new Error(`replay buffer state: ${name} has ${got} values, expected ${want}`);
    }
    buffer.obs.set(state.obs);
    buffer.nextObs.set(state.nextObs);
    buffer.actions.set(state.actions);
    buffer.rewards.set(state.rewards);
    buffer.dones.set(state.dones);
    buffer.cursor = state.cursor;
    buffer.filled = n;
    return buffer;
  }
}
