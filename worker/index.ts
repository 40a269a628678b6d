// The worker's public face for the command line (the worker process itself starts at main.ts).
import type { EnsembleResults } from '../shared/index.js';
import type { BacktestCommandOptions } from './backtest-command.js';
import type { EnsembleCommandOptions } from './ensemble-command.js';
import type { PredictCommandOptions } from './predict-command.js';
import type { RunEnsemblesInput } from './run-ensembles.js';
import type { TrainPairOptions } from './train-pair-command.js';

export { candleAvailability } from './market-data/index.js';
export type { TrainPairOptions } from './train-pair-command.js';

/**
 * `trading-workers train-pair`: one job in this process. Loaded on first use: it brings TensorFlow.js,
 * seconds of loading that every other command (status, logs, a preflight that fails) should not pay.
 */
export async function runTrainPairCommand(options: TrainPairOptions): Promise<number> {
  const { runTrainPairCommand: run } = await import('./train-pair-command.js');
  return run(options);
}

// Issue 9's commands, loaded on first use for the same reason (they load models with TensorFlow.js).
export type { BacktestCommandOptions } from './backtest-command.js';
export type { EnsembleCommandOptions } from './ensemble-command.js';
export type { PredictCommandOptions } from './predict-command.js';
export type { RunEnsemblesInput } from './run-ensembles.js';

/** `trading-workers backtest`: a model or ensemble over candles, with trades.csv and equity.csv. */
export async function runBacktestCommand(options: BacktestCommandOptions): Promise<number> {
  const { runBacktestCommand: run } = await import('./backtest-command.js');
  return run(options);
}

/** `trading-workers predict`: the action for the last closed hourly candle. */
export async function runPredictCommand(options: PredictCommandOptions): Promise<number> {
  const { runPredictCommand: run } = await import('./predict-command.js');
  return run(options);
}

/** `trading-workers ensemble`: each pair's ensemble of a finished run's models. */
export async function runEnsembleCommand(options: EnsembleCommandOptions): Promise<number> {
  const { runEnsembleCommand: run } = await import('./ensemble-command.js');
  return run(options);
}

/** Each pair's ensemble of a run's models, evaluated out-of-sample (the end of a training run). */
export async function buildRunEnsembles(input: RunEnsemblesInput): Promise<EnsembleResults> {
  const { buildRunEnsembles: build } = await import('./run-ensembles.js');
  return build(input);
}
