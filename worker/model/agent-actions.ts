import type { PositionName } from '../../shared/index.js';
import { Action } from '../environment.js';
import { FEATURE_LOOKBACK } from '../features.js';
import { type CandlesInput, toPriceSeries } from './candle-input.js';
import type { AgentAction, TradingAgent } from './trading-agent.js';

export interface ActionsOptions {
  /** First candle to decide (epoch ms or ISO, inclusive); default the first with full feature history. */
  from?: number | string | Date;
  /** Last candle to decide (inclusive); default the last candle. */
  to?: number | string | Date;
  /** The position held coming into the first decision; default flat. */
  position?: PositionName;
}

export const POSITION_NAMES: readonly PositionName[] = ['flat', 'long'];

const toMs = (value: number | string | Date, option: string) => {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value;
  if (!Number.isFinite(ms)) throw new Error(`actions: ${option} is ${String(value)}, need a time`);
  return ms;
};

/**
 * Greedy actions over candles, computed the way the evaluation steps: each decision sees the
 * candle's feature row and the position the previous decision left, so they run in order.
 */
export function agentActions(
  agent: TradingAgent,
  candles: CandlesInput,
  options: ActionsOptions = {},
): AgentAction[] {
  const series = toPriceSeries(candles);
  const n = series.times.length;
  const features = agent.features(series);
  let start = features.firstValidIndex;
  if (options.from !== undefined) {
    const from = toMs(options.from, 'from');
    while (start < n && series.times[start]! < from) start++;
  }
  let end = n;
  if (options.to !== undefined) {
    const to = toMs(options.to, 'to');
    while (end > start && series.times[end - 1]! > to) end--;
  }
  if (n <= agent.warmupCandles) {
    throw new Error(
      `actions: ${n} candles give no decision; the features need ${agent.warmupCandles} earlier candles (${FEATURE_LOOKBACK} h of history) before the first`,
    );
  }
  const width = features.width;
  const observation = new Float32Array(width + 1);
  let position: number = options.position === 'long' ? Action.long : Action.flat;
  const out: AgentAction[] = [];
  for (let t = start; t < end; t++) {
    observation.set(features.data.subarray(t * width, (t + 1) * width));
    observation[width] = position;
    const decision = agent.decide(observation);
    out.push({
      index: t,
      time: series.times[t]!,
      close: series.close[t]!,
      position: POSITION_NAMES[position]!,
      action: POSITION_NAMES[decision.action]!,
      qValues: decision.qValues,
      votes: decision.votes,
    });
    position = decision.action;
  }
  return out;
}
