import { PassThrough, Writable } from 'node:stream';
import test from 'ava';
import { FIXTURE_STATES } from '../../test/fixtures/dashboard-states.js';
import { recordingActions, settableStore, waitFor } from '../../test/helpers/ink.js';
import { ENTER_ALTERNATE_SCREEN, LEAVE_ALTERNATE_SCREEN } from './alternate-screen.js';
import { renderDashboard } from './render-dashboard.js';

// renderDashboard over fake terminal streams: the alternate screen is entered first and left last.

// Ink may still show the cursor after we left; what matters is that nothing is drawn after leaving.
function leftLast(output: string): boolean {
  const left = output.lastIndexOf(LEAVE_ALTERNATE_SCREEN);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping terminal escape sequences
  const after = output.slice(left + LEAVE_ALTERNATE_SCREEN.length).replace(/\u001B\[[?0-9;]*[a-zA-Z]/g, '');
  return left >= 0 && left > output.lastIndexOf('Leaderboard') && after.trim() === '';
}

function fakeTerminal(columns: number, rows: number) {
  let written = '';
  // A Writable that records synchronously, so what was written is there the moment the write returns.
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written += chunk.toString('utf8');
      done();
    },
  });
  const stdout = Object.assign(sink, { columns, rows, isTTY: true }) as unknown as NodeJS.WriteStream;
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode: () => stdin,
    ref: () => stdin,
    unref: () => stdin,
  }) as unknown as NodeJS.ReadStream;
  return { stdout, stdin, output: () => written };
}

test.serial('enters the alternate screen, draws, and leaves it on unmount', async (t) => {
  const term = fakeTerminal(100, 30);
  const actions = recordingActions();
  const ui = renderDashboard({ store: settableStore(FIXTURE_STATES.running), actions, mode: 'run', ...term });
  await waitFor(() => term.output().includes('Leaderboard'), 'a frame', term.output);
  t.true(term.output().startsWith(ENTER_ALTERNATE_SCREEN));
  t.false(term.output().includes(LEAVE_ALTERNATE_SCREEN));
  ui.unmount();
  await ui.waitUntilExit();
  t.true(leftLast(term.output()), JSON.stringify(term.output().slice(-120)));
  t.is(term.output().split(LEAVE_ALTERNATE_SCREEN).length, 2, 'left exactly once');
});

test.serial(
  'Ctrl-C from the keyboard calls quit, closes the dashboard and restores the screen',
  async (t) => {
    const term = fakeTerminal(80, 24);
    const actions = recordingActions();
    const ui = renderDashboard({
      store: settableStore(FIXTURE_STATES.failed),
      actions,
      mode: 'run',
      ...term,
    });
    await waitFor(() => term.output().includes('Leaderboard'), 'a frame', term.output);
    (term.stdin as unknown as PassThrough).write('\u0003');
    await ui.waitUntilExit();
    t.is(actions.quits, 1);
    t.true(leftLast(term.output()), JSON.stringify(term.output().slice(-120)));
  },
);

test.serial(
  'a render crash rejects waitUntilExit with the error, after leaving the alternate screen',
  async (t) => {
    const term = fakeTerminal(100, 30);
    const broken = {
      ...FIXTURE_STATES.running,
      leaderboard: [{ pair: 'BTC-USD' }],
    } as unknown as typeof FIXTURE_STATES.running;
    const store = settableStore(FIXTURE_STATES.running);
    const ui = renderDashboard({ store, actions: recordingActions(), mode: 'run', ...term });
    await waitFor(() => term.output().includes('Leaderboard'), 'a frame', term.output);
    const originalError = console.error;
    console.error = () => undefined; // React reports the caught error; keep the test output clean.
    try {
      store.set(broken);
      const error = await t.throwsAsync(ui.waitUntilExit());
      t.regex(error?.message ?? '', /Cannot read properties of undefined/);
    } finally {
      console.error = originalError;
    }
    t.true(term.output().includes(LEAVE_ALTERNATE_SCREEN));
  },
);
