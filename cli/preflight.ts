// Wires the preflight's probes: the file system and Docker (supervisor/), whether Yahoo answers
// (worker/), the mirror's flags (tui/). cli/ is the one place that may import all three.
import type { DataSettings } from '../shared/index.js';
import {
  type PreflightProbes,
  preflightCandles,
  preflightRunFolder,
  preflightTrain,
  type RunOptions,
  systemProbes,
} from '../supervisor/index.js';
import { candleAvailability } from '../worker/index.js';
import { checkViewArgs, type ViewArgs } from './views.js';

/** The real probes, with Yahoo asked through the workers' own client. */
export function defaultProbes(): PreflightProbes {
  return systemProbes((pairs, data) => candleAvailability(pairs, data));
}

/** Everything `train` checks before it starts anything; throws an InputError (exit 2) with the first problem. */
export async function preflightTrainCommand(options: RunOptions, view: ViewArgs): Promise<void> {
  checkViewArgs(view);
  await preflightTrain(options, defaultProbes());
}

/** Everything a command reading a run folder checks first (`dashboard`, `status`, `logs`). */
export async function preflightRunFolderCommand(resultsDir: string, view?: ViewArgs): Promise<void> {
  if (view) checkViewArgs(view);
  await preflightRunFolder(resultsDir, defaultProbes());
}

/** `train-pair`: the pair's candle file (with a did-you-mean) or Yahoo, checked before training. */
export async function checkPairCandles(pair: string, data: DataSettings): Promise<void> {
  await preflightCandles([pair], data, defaultProbes());
}
