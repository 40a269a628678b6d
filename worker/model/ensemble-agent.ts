import { Action } from '../environment.js';
import type { Policy } from '../evaluate.js';
import { type FeatureMatrix, featureNames, type PriceSeries } from '../features.js';
import { type ActionsOptions, agentActions } from './agent-actions.js';
import type { CandlesInput } from './candle-input.js';
import type { ModelAgent } from './model-agent.js';
import type { AgentAction, Decision, ModelInfo, TradingAgent } from './trading-agent.js';

/** Majority vote of greedy actions: long only when more members say long than flat (a tie holds cash). */
export function majorityVote(actions: ArrayLike<number>): number {
  let long = 0;
  for (let i = 0; i < actions.length; i++) if (actions[i] === Action.long) long++;
  return long * 2 > actions.length ? Action.long : Action.flat;
}

/**
 * Several models voting. Every member sees its own features and the position the ensemble holds
 * (the position is part of each model's observation), and votes its greedy action.
 */
export class EnsembleAgent implements TradingAgent {
  readonly kind = 'ensemble';
  readonly models: readonly ModelInfo[];
  readonly warmupCandles: number;
  readonly policy: Policy;
  private readonly widths: number[];
  private readonly scratch: Float32Array[];
  private readonly votes: Uint8Array;

  constructor(
    readonly source: string,
    readonly pair: string | null,
    private readonly members: readonly ModelAgent[],
    readonly randomSeed: number | null,
  ) {
    if (members.length === 0) throw new Error(`${source}: an ensemble needs at least one member`);
    this.models = members.map((m) => m.info);
    this.warmupCandles = Math.max(...members.map((m) => m.warmupCandles));
    this.widths = members.map((m) => featureNames(m.info.featureSettings.windowSize).length);
    this.scratch = this.widths.map((width) => new Float32Array(width + 1));
    this.votes = new Uint8Array(members.length);
    this.policy = (observation) => this.vote(observation, null);
  }

  /** The members' feature rows side by side; valid from the latest member's first valid row. */
  features(series: PriceSeries): FeatureMatrix {
    // Members trained with the same feature settings see the same rows: computed once per settings
    // (a pair's ensemble of 4 variants computed the same matrix 4 times, about 1 s of a default run's end).
    const bySettings = new Map<string, FeatureMatrix>();
    const matrices = this.members.map((m) => {
      const key = JSON.stringify(m.info.featureSettings);
      let matrix = bySettings.get(key);
      if (!matrix) {
        matrix = m.features(series);
        bySettings.set(key, matrix);
      }
      return matrix;
    });
    const width = matrices.reduce((sum, m) => sum + m.width, 0);
    const rows = series.close.length;
    const data = new Float32Array(rows * width);
    let offset = 0;
    for (const m of matrices) {
      for (let t = 0; t < rows; t++)
        data.set(m.data.subarray(t * m.width, (t + 1) * m.width), t * width + offset);
      offset += m.width;
    }
    return {
      data,
      rows,
      width,
      firstValidIndex: Math.max(...matrices.map((m) => m.firstValidIndex)),
      names: matrices.flatMap((m, i) => m.names.map((name) => `m${i + 1}.${name}`)),
      // The first member's, for the FeatureMatrix shape; each member computed its own above.
      settings: matrices[0]!.settings,
    };
  }

  decide(observation: Float32Array): Decision {
    const qValues: number[][] = [];
    const action = this.vote(observation, qValues);
    const long = this.votes.reduce((sum, v) => sum + v, 0);
    return { action, qValues, votes: [this.members.length - long, long] };
  }

  actions(candles: CandlesInput, options?: ActionsOptions): AgentAction[] {
    return agentActions(this, candles, options);
  }

  dispose(): void {
    for (const m of this.members) m.dispose();
  }

  private vote(observation: Float32Array, qValues: number[][] | null): number {
    const widths = this.widths;
    const total = widths.reduce((sum, w) => sum + w, 0);
    if (observation.length !== total + 1) {
      throw new Error(
        `${this.source}: observation has ${observation.length} values, the ensemble takes ${total + 1} (features() rows + position)`,
      );
    }
    const position = observation[total]!;
    let offset = 0;
    this.members.forEach((member, i) => {
      const input = this.scratch[i]!;
      input.set(observation.subarray(offset, offset + widths[i]!));
      input[widths[i]!] = position;
      offset += widths[i]!;
      if (qValues) {
        const d = member.decide(input);
        this.votes[i] = d.action;
        qValues.push(d.qValues[0]!);
      } else {
        this.votes[i] = member.greedy(input);
      }
    });
    return majorityVote(this.votes);
  }
}
