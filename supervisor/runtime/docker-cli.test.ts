import test from 'ava';
import { causeLine } from './docker-cli.js';

test('the cause of a failed docker command is its error line, without tracebacks or prefixes', (t) => {
  const composeV1 = [
    'Creating run_worker-1_1 ... ',
    '',
    'ERROR: for run_worker-1_1  Invalid type for pids_limit param: expected int',
    'Traceback (most recent call last):',
    '  File "/usr/bin/docker-compose", line 33, in <module>',
    'TypeError: Invalid type for pids_limit param',
  ].join('\n');
  t.is(causeLine(composeV1), 'Invalid type for pids_limit param: expected int');
  t.is(
    causeLine('Error response from daemon: Minimum memory limit allowed is 6MB'),
    'Minimum memory limit allowed is 6MB',
  );
  t.is(causeLine('something odd\nlast words'), 'last words');
  t.is(causeLine(''), '');
});
