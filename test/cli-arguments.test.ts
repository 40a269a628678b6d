import test from 'ava';
import { feeArgument, timeArgument } from '../cli/arguments.js';
import { UsageError } from '../cli/exit-codes.js';

test('--fee takes a fraction or a percentage and refuses the rest, naming the option', (t) => {
  t.is(feeArgument('0.001'), 0.001);
  t.is(feeArgument('0.1%'), 0.001);
  t.is(feeArgument('0'), 0);
  t.is(feeArgument(0.002), 0.002);
  for (const bad of ['12%', '-0.001', 'abc', '', '0.2']) {
    t.throws(() => feeArgument(bad), {
      instanceOf: UsageError,
      message: /^--fee must be a fraction like 0\.001/,
    });
  }
});

test('--from/--to take ISO dates and times (UTC) and refuse the rest, naming the option', (t) => {
  t.is(timeArgument(undefined, 'from'), null);
  t.is(timeArgument('2023-11-01', 'from'), Date.UTC(2023, 10, 1));
  t.is(timeArgument('2023-11-01T12:00Z', 'to'), Date.UTC(2023, 10, 1, 12));
  t.is(timeArgument('2023-11-01T12:00', 'to'), Date.UTC(2023, 10, 1, 12));
  t.is(timeArgument('2023-11-01T12:00+02:00', 'to'), Date.UTC(2023, 10, 1, 10));
  t.throws(() => timeArgument('yesterday', 'to'), {
    instanceOf: UsageError,
    message: /^--to must be an ISO date or time/,
  });
});
