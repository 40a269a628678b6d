// The worker's public face for the command line (the worker process itself starts at main.ts).
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
