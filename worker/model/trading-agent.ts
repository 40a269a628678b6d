import type { PositionName } from '../../shared/index.js';
import type { Policy } from '../evaluate.js';
import type { FeatureMatrix, FeatureSettings, PriceSeries } from '../features.js';
import type { ActionsOptions } from './agent-actions.js';
import type { CandlesInput } from './candle-input.js';

/** One greedy decision: the action, the Q-values behind it and the votes (one vote for a single model). */
export interface Decision {
  /** 0 flat, 1 long. */
  action: number;
  /** One row per model, [Q(flat), Q(long)]: the model's own, or every member's for an ensemble. */
  qValues: number[][];
  /** Votes per action, [flat, long]. */
  votes: number[];
}

/** What a saved model says of itself (feature-settings.json). */
export interface ModelInfo {
  /** The model folder. */
  dir: string;
  pair: string | null;
  variant: string | null;
  jobId: string | null;
  /** The job's seed. */
  seed: number | null;
  /**
   * The pair's evaluation seed the training drew its bootstrap resamples and matched random
   * policies from (null in models saved before it was recorded).
   */
  evaluationSeed: number | null;
  /** First candle of its training data and of its held-out slice (epoch ms), when recorded. */
  trainedFrom: number | null;
  heldOutFrom: number | null;
  featureSettings: FeatureSettings;
}

/** A loaded model or ensemble: it builds its inputs from candles and acts greedily. */
export interface TradingAgent {
  readonly kind: 'model' | 'ensemble';
  /** What was loaded: the model folder or the ensemble manifest. */
  readonly source: string;
  /** The pair it was trained for (the ensemble's pair), when recorded. */
  readonly pair: string | null;
  /** The model, or the ensemble's members in manifest order. */
  readonly models: readonly ModelInfo[];
  /** Candles of history the first decision needs before it (the features' look-back). */
  readonly warmupCandles: number;
  /** Seed of the random baseline the training evaluation used (null when unknown). */
  readonly randomSeed: number | null;
  /**
   * Feature rows for every candle, exactly as training computed them (worker/features.ts with the
   * saved settings); an ensemble's rows are its members' rows side by side.
   */
  features(series: PriceSeries): FeatureMatrix;
  /** Decides for one observation: a row of features() followed by the position held (0 or 1). */
  decide(observation: Float32Array): Decision;
  /** decide(…).action as the evaluation's Policy. */
  readonly policy: Policy;
  /** Greedy actions over candles (oldest first), position fed back from one decision to the next. */
  actions(candles: CandlesInput, options?: ActionsOptions): AgentAction[];
  /** Frees what the agent holds (tfjs tensors with the tfjs engine). */
  dispose(): void;
}

/** One candle's greedy action from `actions()`. */
export interface AgentAction {
  /** Index of the candle in the input. */
  index: number;
  /** Open time of the candle (epoch ms); the action is taken at its close. */
  time: number;
  close: number;
  /** The position held coming into this candle's close (the previous action). */
  position: PositionName;
  action: PositionName;
  qValues: number[][];
  votes: number[];
}
