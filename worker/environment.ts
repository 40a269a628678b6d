import type { FeatureMatrix } from './features.js';

/**
 * The discrete actions. Spot trading, no leverage, no short selling: the portfolio is either all
 * cash (flat) or all in the base asset (long).
 */
export const Action = { flat: 0, long: 1 } as const;
export type Action = (typeof Action)[keyof typeof Action];
export const NUM_ACTIONS = 2;

export interface EnvironmentOptions {
  /** First candle index of the episode (its first decision hour); ≥ features.firstValidIndex. */
  start: number;
  /** One past the last candle index; the last decision is at end − 2, settled at close[end − 1]. */
  end: number;
  /** Fee per side as a fraction of the traded value (0.001 = 0.1%). */
  feeRate?: number;
  /** Portfolio value at reset, in USD. */
  initialCash?: number;
}

/** The result of one step. The environment reuses this object and its observation buffer. */
export interface StepResult {
  observation: Float32Array;
  /** log(V_{t+1} / V_t), net of the fee paid at t. */
  reward: number;
  /** True when the step settled at the last close of the range. */
  done: boolean;
  /** Portfolio value V_{t+1} after the step, in USD. */
  value: number;
}

/**
 * A trading environment over candles [start, end) of one pair.
 *
 * At hour t the agent sees feature row t (candles ≤ t only) plus the position it holds, and chooses
 * an action. A change of position trades the whole portfolio at close[t] and pays `feeRate` on the
 * traded value (V ← V · (1 − feeRate)); then the hour t → t + 1 passes and a long portfolio earns
 * close[t+1] / close[t]. The reward is log(V_{t+1} / V_t). One episode is one pass: decisions at
 * start … end − 2, i.e. end − start − 1 steps. reset() and step() allocate nothing; the returned
 * observation and StepResult are reused, so copy them to keep them.
 */
export class TradingEnvironment {
  readonly start: number;
  readonly end: number;
  readonly feeRate: number;
  readonly initialCash: number;
  /** Feature width + 1: the position (0 or 1) is the last input. */
  readonly observationSize: number;
  /** Decisions per episode. */
  readonly steps: number;

  private readonly features: Float32Array;
  private readonly width: number;
  // Log and simple price ratios close[t+1] / close[t], indexed by t − start.
  private readonly logMoves: Float64Array;
  private readonly moves: Float64Array;
  private readonly logFeeFactor: number;
  private readonly observation: Float32Array;
  private readonly result: StepResult;
  private t: number;
  private held: number;
  private portfolio: number;

  constructor(series: { close: Float64Array }, features: FeatureMatrix, options: EnvironmentOptions) {
    const { start, end, feeRate = 0.001, initialCash = 10_000 } = options;
    if (features.rows !== series.close.length) {
      throw new Error(
        `TradingEnvironment: features have ${features.rows} rows, series has ${series.close.length} candles`,
      );
    }
    if (
      !Number.isInteger(start) ||
      !Number.isInteger(end) ||
      start < features.firstValidIndex ||
      end > features.rows
    ) {
      throw new Error(
        `TradingEnvironment: range [${start}, ${end}) must be integers within [firstValidIndex ${features.firstValidIndex}, ${features.rows})`,
      );
    }
    if (end - start < 2)
      throw new Error(`TradingEnvironment: range [${start}, ${end}) needs at least 2 candles`);
    if (!(feeRate >= 0 && feeRate < 1))
      throw new Error(`TradingEnvironment: feeRate ${feeRate} must be in [0, 1)`);
    if (!(initialCash > 0 && Number.isFinite(initialCash))) {
      throw new Error(`TradingEnvironment: initialCash ${initialCash} must be a positive number`);
    }
    this.start = start;
    this.end = end;
    this.feeRate = feeRate;
    this.initialCash = initialCash;
    this.width = features.width;
    this.features = features.data;
    this.observationSize = features.width + 1;
    this.steps = end - start - 1;
    this.logFeeFactor = Math.log1p(-feeRate);
    this.moves = new Float64Array(this.steps);
    this.logMoves = new Float64Array(this.steps);
    for (let i = 0; i < this.steps; i++) {
      const from = series.close[start + i]!;
      const to = series.close[start + i + 1]!;
      if (!(from > 0 && to > 0))
        throw new Error(`TradingEnvironment: close[${from > 0 ? start + i + 1 : start + i}] is not positive`);
      this.moves[i] = to / from;
      this.logMoves[i] = Math.log(to / from);
    }
    this.observation = new Float32Array(this.observationSize);
    this.result = { observation: this.observation, reward: 0, done: false, value: initialCash };
    this.t = start;
    this.held = Action.flat;
    this.portfolio = initialCash;
  }

  /** The current decision hour (candle index). */
  get time(): number {
    return this.t;
  }

  /** The position held coming into the current hour. */
  get position(): number {
    return this.held;
  }

  /** The portfolio value at the current hour's close, before any trade there. */
  get value(): number {
    return this.portfolio;
  }

  /** Starts an episode flat with initialCash and returns the first observation (a reused buffer). */
  reset(): Float32Array {
    this.t = this.start;
    this.held = Action.flat;
    this.portfolio = this.initialCash;
    this.observationAt(this.t, this.held, this.observation);
    return this.observation;
  }

  /** Writes the observation for hour t and a held position into out[offset …] (feature row, then position). */
  observationAt(t: number, position: number, out: Float32Array, offset = 0): void {
    const width = this.width;
    const from = t * width;
    const data = this.features;
    // A plain loop: subarray()+set() would allocate a view per call in this hot path.
    for (let k = 0; k < width; k++) out[offset + k] = data[from + k]!;
    out[offset + width] = position;
  }

  /** Applies `action` at the current hour's close and advances one hour. */
  step(action: number): StepResult {
    const i = this.t - this.start;
    if (i >= this.steps)
      throw new Error(
        `TradingEnvironment: step() after the episode ended at candle ${this.end - 1}; call reset()`,
      );
    if (action !== Action.flat && action !== Action.long) {
      throw new Error(`TradingEnvironment: action must be 0 (flat) or 1 (long), got ${action}`);
    }
    let reward = 0;
    let value = this.portfolio;
    if (action !== this.held) {
      value *= 1 - this.feeRate;
      reward += this.logFeeFactor;
    }
    if (action === Action.long) {
      value *= this.moves[i]!;
      reward += this.logMoves[i]!;
    }
    this.portfolio = value;
    this.held = action;
    this.t += 1;
    this.observationAt(this.t, this.held, this.observation);
    const result = this.result;
    result.reward = reward;
    result.done = i + 1 === this.steps;
    result.value = value;
    return result;
  }
}
