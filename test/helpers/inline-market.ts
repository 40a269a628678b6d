/**
 * A minimal, self-contained trading market for the DQN's own tests:
 * observation = the last `window` hourly log returns (×100) + the position (0 flat, 1 long);
 * reward = position × next log return − fee on a change. Not the project's environment
 * (worker/environment.ts); it only feeds the agent realistic inputs.
 */
export class InlineMarket {
  readonly observationSize: number;
  private readonly returns: Float64Array;
  private t = 0;
  private position = 0;

  constructor(
    closes: Float64Array,
    readonly window = 24,
    private readonly fee = 0.001,
  ) {
    this.returns = new Float64Array(closes.length - 1);
    for (let i = 1; i < closes.length; i++) this.returns[i - 1] = Math.log(closes[i]! / closes[i - 1]!);
    this.observationSize = window + 1;
  }

  /** Decisions per episode. */
  get steps(): number {
    return this.returns.length - this.window;
  }

  /** Writes the observation at decision `t` (0-based) into `out` for position `position`. */
  observationAt(
    t: number,
    position: number,
    out: Float32Array = new Float32Array(this.observationSize),
  ): Float32Array {
    for (let k = 0; k < this.window; k++) out[k] = this.returns[t + k]! * 100;
    out[this.window] = position;
    return out;
  }

  reset(out: Float32Array): Float32Array {
    this.t = 0;
    this.position = 0;
    return this.observationAt(0, 0, out);
  }

  /** Applies `action`, writes the next observation into `next`, and returns the reward and whether the episode ended. */
  step(action: number, next: Float32Array): { reward: number; done: boolean } {
    const fee = action === this.position ? 0 : Math.log(1 - this.fee);
    this.position = action;
    const reward = fee + action * this.returns[this.t + this.window]!;
    this.t++;
    const done = this.t >= this.steps;
    this.observationAt(Math.min(this.t, this.steps - 1), this.position, next);
    return { reward, done };
  }
}
