import type { DashboardState, SupervisorCommand } from '../shared/index.js';
import { type CommandAnswer, describeCommand } from './command-files.js';
import type { WorkerSlots } from './worker-slots.js';

/**
 * Carries out commands from the views and from command files. A command that arrives while the run
 * is still starting waits until its workers are launched, rather than failing or being lost.
 */
export function createCommandExecutor(options: {
  ready: Promise<void>;
  state: () => DashboardState;
  slots: Pick<WorkerSlots, 'restart'>;
  stop: (reason: string) => void;
}): (command: SupervisorCommand) => Promise<CommandAnswer> {
  return async (command) => {
    await options.ready;
    const state = options.state();
    if (state.finished || state.stopRequested) {
      return { ok: false, message: `${describeCommand(command)} ignored: the run is ending` };
    }
    switch (command.type) {
      case 'restart': {
        const ids = state.workers.map((w) => w.workerId);
        if (!ids.includes(command.workerId)) {
          const range = ids.length === 0 ? 'none' : `workers ${Math.min(...ids)}–${Math.max(...ids)}`;
          return { ok: false, message: `no worker ${command.workerId} in this run (${range})` };
        }
        return { ok: true, message: await options.slots.restart(command.workerId) };
      }
      case 'restart-failed': {
        const failed = state.workers.filter((w) => w.process === 'failed').map((w) => w.workerId);
        if (failed.length === 0) return { ok: true, message: 'no failed worker to restart' };
        const messages = await Promise.all(failed.map((id) => options.slots.restart(id)));
        return { ok: true, message: messages.join('; ') };
      }
      case 'stop':
        options.stop('stop command');
        return { ok: true, message: 'stopping the run' };
    }
  };
}
