import path from 'node:path';
import type { ModelMetadata } from '../dqn/index.js';
import type { Policy } from '../evaluate.js';
import { computeFeatures, type FeatureMatrix, firstValidIndex, type PriceSeries } from '../features.js';
import { type ActionsOptions, agentActions } from './agent-actions.js';
import type { CandlesInput } from './candle-input.js';
import { checkModelFeatures } from './feature-compatibility.js';
import type { QFunction } from './q-function.js';
import type { AgentAction, Decision, ModelInfo, TradingAgent } from './trading-agent.js';

const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
const time = (value: unknown) => {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isFinite(ms) ? ms : null;
};

const integer = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : null);

/** What a model's metadata records of it (its features are checked against this code first). */
export function modelInfo(dir: string, metadata: ModelMetadata): ModelInfo {
  const source = path.join(dir, 'feature-settings.json');
  const featureSettings = checkModelFeatures(metadata, source);
  const extra = metadata.extra ?? {};
  const trainedOn = (extra.trainedOn ?? {}) as Record<string, unknown>;
  return {
    dir,
    pair: text(extra.pair),
    variant: text(extra.variant),
    jobId: text(extra.jobId),
    seed: integer(extra.seed),
    evaluationSeed: integer(extra.evaluationSeed),
    trainedFrom: time(trainedOn.from),
    heldOutFrom: time(trainedOn.testFrom),
    featureSettings,
  };
}

/** Argmax with ties to the lower action (flat), as the training agent's greedy() does. */
export function greedyIndex(q: ArrayLike<number>): number {
  let best = 0;
  for (let a = 1; a < q.length; a++) if (q[a]! > q[best]!) best = a;
  return best;
}

/** One saved model acting greedily on its own features. */
export class ModelAgent implements TradingAgent {
  readonly kind = 'model';
  readonly source: string;
  readonly pair: string | null;
  readonly models: readonly ModelInfo[];
  readonly randomSeed: number | null;
  readonly warmupCandles: number;
  readonly policy: Policy;
  private readonly q: Float32Array;

  constructor(
    readonly info: ModelInfo,
    private readonly network: QFunction,
  ) {
    this.source = info.dir;
    this.pair = info.pair;
    this.models = [info];
    // The training's evaluation seed; models saved before it was recorded used the job seed ^ 0x5eed.
    this.randomSeed = info.evaluationSeed ?? (info.seed === null ? null : info.seed ^ 0x5eed);
    this.warmupCandles = firstValidIndex(info.featureSettings.windowSize);
    this.q = new Float32Array(network.actions);
    this.policy = (observation) => this.greedy(observation);
  }

  features(series: PriceSeries): FeatureMatrix {
    return computeFeatures(series, this.info.featureSettings);
  }

  /** The greedy action alone, without allocating (the evaluation's hot path). */
  greedy(observation: Float32Array): number {
    this.check(observation);
    this.network.qValues(observation, this.q);
    return greedyIndex(this.q);
  }

  decide(observation: Float32Array): Decision {
    const action = this.greedy(observation);
    const votes = [0, 0];
    votes[action] = 1;
    return { action, qValues: [Array.from(this.q)], votes };
  }

  actions(candles: CandlesInput, options?: ActionsOptions): AgentAction[] {
    return agentActions(this, candles, options);
  }

  dispose(): void {
    this.network.dispose();
  }

  private check(observation: Float32Array): void {
    if (observation.length !== this.network.inputSize) {
      throw new Error(
        `${this.source}: observation has ${observation.length} values, the model takes ${this.network.inputSize}`,
      );
    }
  }
}
