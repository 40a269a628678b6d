import test from 'ava';
import { dashboardCommand } from './dashboard.js';
import { logsCommand } from './logs.js';
import { restartCommand, restartTarget } from './restart.js';
import { statusCommand } from './status.js';
import { trainCommand } from './train.js';
import { trainPairCommand } from './train-pair.js';

const COMMANDS = [
  trainCommand,
  trainPairCommand,
  dashboardCommand,
  statusCommand,
  logsCommand,
  restartCommand,
];

test('every command has a description (the top-level help lists it)', (t) => {
  for (const command of COMMANDS) t.true(String(command.describe).length > 10, String(command.command));
});

test('restart takes a worker number or "failed", and names no flag when it is neither', (t) => {
  t.deepEqual(restartTarget('2'), { type: 'restart', workerId: 2 });
  t.deepEqual(restartTarget('failed'), { type: 'restart-failed' });
  for (const bad of ['foo', '0', '65', '1.5', '-1']) {
    t.throws(() => restartTarget(bad), {
      message: new RegExp(
        `^worker must be a number from 1 to 64 or "failed", got "${bad.replace('.', '\\.')}"$`,
      ),
    });
  }
});
