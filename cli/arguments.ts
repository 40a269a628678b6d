import path from 'node:path';
import type { Argv } from 'yargs';
import {
  type DataSettings,
  type DataSource,
  DEFAULT_ENVIRONMENT,
  DEFAULT_PAIRS,
  type EnvironmentSettings,
  HOURS_PER_YEAR,
  parsePairSymbol,
  SYNTHETIC_KINDS,
  type SyntheticKind,
  VARIANTS,
} from '../shared/index.js';
import { checkPlanNumber, PLAN_LIMITS } from '../supervisor/index.js';
import { UsageError } from './exit-codes.js';

/** The data flags every training command shares (`--days`, `--data`, `--data-dir`, …). */
export function dataOptions<T>(y: Argv<T>) {
  return y
    .option('days', {
      type: 'number',
      default: 365,
      describe: `days of hourly candles (Yahoo serves up to ${PLAN_LIMITS.days.max})`,
    })
    .option('data', { type: 'string', default: 'data', describe: 'cache folder of PAIR_data.csv files' })
    .option('data-dir', { type: 'string', describe: 'read PAIR_data.csv files from DIR only (no network)' })
    .option('offline', { type: 'boolean', describe: 'never touch the network: cached CSVs only' })
    .option('synthetic', {
      type: 'string',
      describe: `seeded synthetic candles of KIND (${SYNTHETIC_KINDS.join(', ')}; no value: market)`,
    })
    .option('refresh', { type: 'boolean', describe: 'download again even when the cache covers the period' })
    .conflicts('data-dir', ['offline', 'synthetic'])
    .conflicts('offline', ['synthetic', 'refresh']);
}

/** What dataOptions gives a handler. */
export interface DataArgs {
  days: number;
  data: string;
  dataDir?: string;
  offline?: boolean;
  /** '' when the flag has no value (the market kind). */
  synthetic?: string;
  refresh?: boolean;
}

/** Turns the data flags into the contract's DataSettings; the source is never chosen silently. */
export function toDataSettings(argv: DataArgs): DataSettings {
  checkPlanNumber('days', argv.days);
  let source: DataSource = 'yahoo';
  if (argv.dataDir) source = 'data-dir';
  else if (argv.offline) source = 'offline';
  else if (argv.synthetic !== undefined) source = 'synthetic';
  return {
    source,
    days: argv.days,
    interval: '1h',
    cacheDir: path.resolve(argv.data),
    dataDir: argv.dataDir ? path.resolve(argv.dataDir) : null,
    refresh: Boolean(argv.refresh),
    ...(source === 'synthetic' ? { syntheticKind: syntheticKind(argv.synthetic ?? '') } : {}),
  };
}

/** `--synthetic [KIND]`: no value is the market kind; anything else must be a known kind. */
function syntheticKind(value: string): SyntheticKind {
  if (value === '') return 'market';
  const kind = SYNTHETIC_KINDS.find((k) => k === value);
  if (!kind) throw new UsageError(`--synthetic must be one of ${SYNTHETIC_KINDS.join(', ')}, got "${value}"`);
  return kind;
}

/** The evaluation flags of `train` and `train-pair`: walk-forward folds, seeds, annualisation. */
export function evaluationOptions<T>(y: Argv<T>) {
  return y
    .option('folds', {
      type: 'number',
      default: 1,
      describe: `walk-forward folds (at most ${PLAN_LIMITS.folds.max}): test windows over the last 20 % of the candles, each trained on what precedes it`,
    })
    .option('seeds', {
      type: 'number',
      default: 1,
      describe: `independent agents per job (at most ${PLAN_LIMITS.seeds.max}); the job decides by their majority vote (ties: flat)`,
    })
    .option(...ANNUALIZATION_OPTION);
}

/** `--annualization`, for the commands that report Sharpe and Sortino (train, train-pair, backtest). */
export const ANNUALIZATION_OPTION = [
  'annualization',
  {
    type: 'number',
    default: HOURS_PER_YEAR,
    describe: 'periods per year that annualise hourly Sharpe and Sortino (8760: crypto trades every hour)',
  },
] as const;

/** An `--annualization` value; a bad one is a usage error naming the flag. */
export function annualizationArgument(value: number): number {
  if (!(Number.isFinite(value) && value > 0 && value <= 1e6)) {
    throw new UsageError(`--annualization must be a number of periods per year above 0, got ${value}`);
  }
  return value;
}

/** What evaluationOptions gives a handler. */
export interface EvaluationArgs {
  folds: number;
  seeds: number;
  annualization: number;
}

/** The evaluation settings from their flags; a bad value is a usage error naming the flag. */
export function toEvaluationSettings(
  argv: EvaluationArgs,
): Pick<EnvironmentSettings, 'folds' | 'seeds' | 'annualization'> {
  return {
    folds: checkPlanNumber('folds', argv.folds),
    seeds: checkPlanNumber('seeds', argv.seeds),
    annualization: annualizationArgument(argv.annualization),
  };
}

/** A Yahoo symbol from the command line; a bad one is a usage error (exit 2) naming it. */
export function pairArgument(input: string, option = ''): string {
  try {
    return parsePairSymbol(input);
  } catch (error) {
    throw new UsageError(`${option}${(error as Error).message}`);
  }
}

/** `--pairs A,B,…`, or the seed's 15 pairs when absent. */
export function parsePairs(list: string | undefined): string[] {
  if (!list) return [...DEFAULT_PAIRS];
  const pairs = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((p) => pairArgument(p, '--pairs: '));
  if (pairs.length === 0) throw new UsageError('--pairs is empty');
  const dup = pairs.find((p, i) => pairs.indexOf(p) !== i);
  if (dup) throw new UsageError(`--pairs names ${dup} twice`);
  return pairs;
}

/** `--results DIR`, the folder every run-level command works on. */
export function resultsOption<T>(y: Argv<T>) {
  return y.option('results', {
    type: 'string',
    default: 'results',
    describe: 'the run’s results folder (status, results, logs, report)',
  });
}

/** `--fee`: a fraction (0.001) or a percentage (0.1%) of the traded value, in [0, 10%]. */
export function feeArgument(input: string | number, option = 'fee'): number {
  const text = String(input).trim();
  const fraction = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
  if (text === '' || !Number.isFinite(fraction) || fraction < 0 || fraction > 0.1) {
    throw new UsageError(
      `--${option} must be a fraction like 0.001 or a percentage like 0.1% (at most 10%), got ${text}`,
    );
  }
  return fraction;
}

/** `--from` / `--to`: an ISO date or time (UTC unless it says otherwise); undefined stays null. */
export function timeArgument(input: string | undefined, option: string): number | null {
  if (input === undefined) return null;
  // JavaScript reads a time without a zone as local time; candles are in UTC, so read it as UTC.
  const zoned = /T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(input) ? `${input}Z` : input;
  const ms = Date.parse(zoned);
  if (!Number.isFinite(ms)) {
    throw new UsageError(
      `--${option} must be an ISO date or time like 2023-11-01 or 2023-11-01T12:00Z, got ${input}`,
    );
  }
  return ms;
}

/** `--fee` and `--cash`, the costs of a backtest or a paper trader. */
export function costOptions<T>(y: Argv<T>) {
  return y
    .option('fee', {
      type: 'string',
      default: String(DEFAULT_ENVIRONMENT.feeRate),
      describe: 'fee per side: 0.001 or 0.1%',
    })
    .option('cash', {
      type: 'number',
      default: DEFAULT_ENVIRONMENT.initialCash,
      describe: 'starting capital in USD',
    });
}

/** The fee rate and starting cash from costOptions' flags; bad values are usage errors naming the flag. */
export function costArguments(argv: { fee: string; cash: number }): { feeRate: number; initialCash: number } {
  if (!(argv.cash > 0 && Number.isFinite(argv.cash))) {
    throw new UsageError(`--cash must be a positive amount, got ${argv.cash}`);
  }
  return { feeRate: feeArgument(argv.fee), initialCash: argv.cash };
}

/** The flags that shape a plan (`--workers`, `--pairs`, `--variants`, `--episodes`, `--seed`): train, k8s-manifest. */
export function planFlags<T>(y: Argv<T>) {
  return y
    .option('workers', {
      type: 'number',
      default: 4,
      describe: `parallel workers (at most ${PLAN_LIMITS.workers.max})`,
    })
    .option('pairs', {
      type: 'string',
      describe: `comma-separated Yahoo symbols (default the ${DEFAULT_PAIRS.length} seed pairs)`,
    })
    .option('variants', {
      type: 'number',
      default: VARIANTS.length,
      describe: `hyperparameter variants per pair (at most ${PLAN_LIMITS.variants.max})`,
    })
    .option('episodes', {
      type: 'number',
      default: 10,
      describe: `training episodes per job (at most ${PLAN_LIMITS.episodes.max.toLocaleString('en')})`,
    })
    .option('seed', {
      type: 'number',
      default: 42,
      describe: `seed of the whole run (0 to ${PLAN_LIMITS.seed.max})`,
    });
}

/** What planFlags gives a handler, checked: a bad count is a usage error naming its option. */
export function planCounts(a: { workers: number; pairs?: string; variants: number; episodes: number }) {
  return {
    workers: checkPlanNumber('workers', a.workers),
    pairs: parsePairs(a.pairs),
    variants: checkPlanNumber('variants', a.variants),
    episodes: checkPlanNumber('episodes', a.episodes),
  };
}
