import { Action, TradingEnvironment } from './environment.js';
import type { Policy } from './evaluate.js';
import type { FeatureMatrix } from './features.js';
import type { CandleSeries } from './market-data/index.js';
import type { IndexRange } from './split.js';

/**
 * A greedy policy written down over a range: its action at every decision hour for either position
 * held. The observation is the feature row plus the position, so these two actions per hour are
 * everything the policy can do there; a vote of several seeds, or a resumed job, evaluates the
 * table without the network.
 */
export interface DecisionTable {
  /** The range in the environment's convention: decisions at start … end − 2. */
  start: number;
  end: number;
  /** 2 per decision hour: [action when flat, action when long] at hour start + k. */
  actions: Uint8Array;
}

/** The policy's action at each decision hour of `range`, for a flat and for a long position. */
export function tabulatePolicy(
  policy: Policy,
  series: Pick<CandleSeries, 'close'>,
  features: FeatureMatrix,
  range: IndexRange,
): DecisionTable {
  const env = new TradingEnvironment(series, features, range);
  const observation = new Float32Array(env.observationSize);
  const actions = new Uint8Array(2 * env.steps);
  for (let k = 0; k < env.steps; k++) {
    for (const held of [Action.flat, Action.long]) {
      env.observationAt(range.start + k, held, observation);
      const action = policy(observation);
      if (action !== Action.flat && action !== Action.long) {
        throw new Error(`tabulatePolicy: the policy answered ${action} at hour ${range.start + k}`);
      }
      actions[2 * k + held] = action;
    }
  }
  return { start: range.start, end: range.end, actions };
}

/** The table's action at decision hour `t` holding `held`. */
export function tableAction(table: DecisionTable, t: number, held: number): number {
  const k = t - table.start;
  if (!(k >= 0 && k < table.end - table.start - 1)) {
    throw new Error(`decision table [${table.start}, ${table.end}) has no decision at hour ${t}`);
  }
  return table.actions[2 * k + held]!;
}

/** One character per hour, '0'–'3' (action when flat + 2 × action when long): compact in JSON. */
export function encodeTable(table: DecisionTable): string {
  let text = '';
  for (let k = 0; 2 * k < table.actions.length; k++) {
    text += String(table.actions[2 * k]! + 2 * table.actions[2 * k + 1]!);
  }
  return text;
}

/** Reads a table written by encodeTable, checking it fits its range; errors name `source`. */
export function decodeTable(text: string, range: IndexRange, source: string): DecisionTable {
  const hours = range.end - range.start - 1;
  if (text.length !== hours || !/^[0-3]*$/.test(text)) {
    throw new Error(`${source}: decision table has ${text.length} entries, need ${hours} digits 0–3`);
  }
  const actions = new Uint8Array(2 * hours);
  for (let k = 0; k < hours; k++) {
    const code = text.charCodeAt(k) - 48;
    actions[2 * k] = code & 1;
    actions[2 * k + 1] = code >> 1;
  }
  return { start: range.start, end: range.end, actions };
}
