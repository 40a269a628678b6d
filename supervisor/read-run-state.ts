import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type DashboardState, readJsonTolerant, workerLogFile } from '../shared/index.js';
import { contractFile, scanOrder } from './contract-files.js';
import { initialState, reduce } from './reducer.js';

/**
 * The state of a run folder read once (no watching): every contract file folded by the same reducer as
 * a live view, as an attached viewer would see it at `now`. For `trading-workers status`.
 */
export async function readRunState(resultsDir: string, now: number = Date.now()): Promise<DashboardState> {
  const dir = path.resolve(resultsDir);
  let state = initialState({ mode: 'attach', resultsDir: dir, now });
  state = reduce(state, { type: 'tick', now });
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  for (const name of scanOrder(names)) {
    const contract = contractFile(dir, name, true);
    if (!contract) continue;
    const read = await readJsonTolerant(contract.file, contract.schema);
    if (read.ok) state = reduce(state, contract.toEvent(read.value as never));
    else if (read.reason !== 'missing')
      state = reduce(state, { type: 'file-problem', message: read.message });
  }
  // Workers started by a supervisor know their log file from its status; a plain read names the default.
  state = {
    ...state,
    workers: state.workers.map((w) => (w.logFile ? w : { ...w, logFile: workerLogFile(dir, w.workerId) })),
  };
  return state;
}
