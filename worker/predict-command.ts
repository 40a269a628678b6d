import type { DataSettings, PositionName } from '../shared/index.js';
import { commandFailure, pairMessage, withAgent } from './agent-command.js';
import {
  type CandleSeries,
  closedCandles,
  downloadYahooCandles,
  HOUR_MS,
  loadCandles,
} from './market-data/index.js';
import type { AgentAction, TradingAgent } from './model/index.js';

/** Hours of its own decisions a prediction replays to find the position it holds (no --position). */
export const OWN_POSITION_HOURS = 168;

export interface PredictCommandOptions {
  model: string;
  pair: string;
  /** Where the candles come from: `yahoo` downloads the last days afresh; `offline` and `data-dir` read files. */
  data: DataSettings;
  /** The position held now; null: the one its own decisions over the last 168 hours lead to. */
  position: PositionName | null;
  json: boolean;
  now?: () => Date;
  fetch?: typeof fetch;
  progress?: (line: string) => void;
  print?: (text: string) => void;
}

/** What `predict` answers (`--json` prints it). */
export interface Prediction {
  pair: string;
  model: string;
  kind: 'model' | 'ensemble';
  /** Open time of the last closed candle (ISO); the action is for its close. */
  candleTime: string;
  closeTime: string;
  close: number;
  action: PositionName;
  /** One row per model: [Q(flat), Q(long)]. */
  qValues: number[][];
  /** [flat, long] votes. */
  votes: number[];
  position: { value: PositionName; source: 'given' | 'own decisions'; since: string | null };
  /** Rows dropped because their hour had not closed at `now`. */
  formingDropped: number;
  data: { source: string; file: string | null; rows: number };
  /** The last closed candle is older than 2 hours (files not refreshed, or the market paused). */
  stale: boolean;
  now: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

async function candlesFor(
  options: PredictCommandOptions,
  agent: TradingAgent,
  now: Date,
): Promise<CandleSeries> {
  const log = options.progress ?? (() => {});
  if (options.data.source === 'yahoo') {
    // Afresh every time, and not into the cache: the cache is a training set, and a short download
    // written there would replace a year of candles.
    const hours = agent.warmupCandles + OWN_POSITION_HOURS + 24;
    return downloadYahooCandles(
      options.pair,
      { days: Math.ceil(hours / 24) + 1, keepForming: true },
      { fetch: options.fetch, now: () => now, log },
    );
  }
  return loadCandles(options.pair, options.data, { log, now: () => now });
}

/** The action of a saved model or ensemble for the last closed hourly candle of a pair. */
export async function predict(agent: TradingAgent, options: PredictCommandOptions): Promise<Prediction> {
  const now = (options.now ?? (() => new Date()))();
  const loaded = await candlesFor(options, agent, now);
  const { series, forming } = closedCandles(loaded, now.getTime());
  const n = series.times.length;
  if (n <= agent.warmupCandles) {
    throw new Error(
      `${options.pair}: ${n} closed candles up to ${iso(now.getTime())}; the features need ${agent.warmupCandles + 1} (${agent.warmupCandles} h of history)`,
    );
  }
  const last = series.times[n - 1]!;
  let decided: AgentAction[];
  let since: number | null = null;
  if (options.position) {
    decided = agent.actions(series, { from: last, position: options.position });
  } else {
    since = Math.max(series.times[agent.warmupCandles]!, last - OWN_POSITION_HOURS * HOUR_MS);
    decided = agent.actions(series, { from: since });
  }
  const decision = decided[decided.length - 1]!;
  return {
    pair: options.pair,
    model: agent.source,
    kind: agent.kind,
    candleTime: iso(last),
    closeTime: iso(last + HOUR_MS),
    close: decision.close,
    action: decision.action,
    qValues: decision.qValues,
    votes: decision.votes,
    position: {
      value: decision.position,
      source: options.position ? 'given' : 'own decisions',
      since: since === null ? null : iso(since),
    },
    formingDropped: forming,
    data: { source: series.source, file: series.file, rows: n },
    stale: now.getTime() - (last + HOUR_MS) > 2 * HOUR_MS,
    now: now.toISOString(),
  };
}

/** `trading-workers predict MODEL_DIR PAIR`; returns the exit code (2: model refused, 1: no candles). */
export async function runPredictCommand(options: PredictCommandOptions): Promise<number> {
  const print = options.print ?? ((text) => process.stdout.write(`${text}\n`));
  return withAgent(options.model, async (agent) => {
    if (agent.pair && agent.pair !== options.pair) {
      (options.progress ?? ((l: string) => process.stderr.write(`${l}\n`)))(
        `note: ${agent.source} was trained for ${agent.pair}; asking it about ${options.pair}`,
      );
    }
    let prediction: Prediction;
    try {
      prediction = await predict(agent, options);
    } catch (error) {
      return commandFailure(pairMessage(options.pair, error), 1);
    }
    print(options.json ? JSON.stringify(prediction) : formatPrediction(prediction));
    return 0;
  });
}

const q = (x: number) => x.toFixed(4);

/** The human answer: the action first, then what it rests on. */
export function formatPrediction(p: Prediction): string {
  const lines = [
    `${p.pair}: ${p.action.toUpperCase()} at the close of the ${p.candleTime.slice(0, 16)} candle (closed ${p.closeTime.slice(11, 16)} UTC, close ${p.close})`,
  ];
  if (p.kind === 'ensemble') {
    lines.push(`  votes: ${p.votes[1]} long, ${p.votes[0]} flat of ${p.qValues.length} (a tie holds cash)`);
    for (const [i, row] of p.qValues.entries()) {
      lines.push(`  member ${i + 1}: Q(flat) ${q(row[0]!)}  Q(long) ${q(row[1]!)}`);
    }
  } else {
    lines.push(`  Q(flat) ${q(p.qValues[0]![0]!)}  Q(long) ${q(p.qValues[0]![1]!)}`);
  }
  lines.push(
    p.position.source === 'given'
      ? `  assumes position: ${p.position.value} (given)`
      : `  assumes position: ${p.position.value} (where its own decisions since ${p.position.since?.slice(0, 16)} led, starting flat; --position to state yours)`,
  );
  if (p.formingDropped > 0)
    lines.push(`  ignored: ${p.formingDropped} candle(s) still forming at ${p.now.slice(0, 16)}`);
  if (p.stale)
    lines.push(
      `  STALE: the last closed candle ended at ${p.closeTime.slice(0, 16)}, now is ${p.now.slice(0, 16)} (${p.data.source}${p.data.file ? `: ${p.data.file}` : ''})`,
    );
  lines.push(`  model: ${p.model}`);
  return lines.join('\n');
}
