/** @jsxRuntime automatic */
/** @jsxImportSource react */
import test from 'ava';
import { render } from 'ink-testing-library';
import type { DashboardState } from '../../shared/dashboard-state.js';
import { FIXTURE_STATES } from '../../test/fixtures/dashboard-states.js';
import {
  KEYS,
  type RecordingActions,
  recordingActions,
  resizeFakeStdout,
  settableStore,
  waitFor,
} from '../../test/helpers/ink.js';
import { compactLogLine } from '../format.js';
import { KEY_BINDINGS } from '../keymap.js';
import { DashboardApp } from './app.js';

// The whole app under ink-testing-library: keys go in through stdin, assertions read lastFrame().

interface Options {
  state?: DashboardState;
  mode?: 'run' | 'attach';
  actions?: RecordingActions;
  columns?: number;
  rows?: number;
}

async function mount({
  state = FIXTURE_STATES.running,
  mode = 'run',
  actions,
  columns = 100,
  rows = 40,
}: Options = {}) {
  const store = settableStore(state);
  const acts = actions ?? recordingActions();
  const app = render(<DashboardApp store={store} actions={acts} mode={mode} clock={() => 0} tickMs={0} />);
  resizeFakeStdout(app.stdout, columns, rows);
  const frame = () => app.lastFrame() ?? '';
  const until = (what: string, predicate: (frame: string) => boolean) =>
    waitFor(() => predicate(frame()), what, frame);
  // Wait for the frame at the requested size (the footer is the last line of a full screen).
  await until(
    'the first full frame',
    (f) =>
      f.split('\n').length === rows - 1 &&
      f.includes('? help') &&
      f.split('\n').every((l) => [...l].length <= columns),
  );
  const press = async (...keys: string[]) => {
    for (const key of keys) {
      app.stdin.write(key);
      // Let Ink's input parser (which holds a lone Esc for a tick) hand the key over.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { app, store, actions: acts, frame, until, press };
}

const selectedRow = (frame: string) => frame.split('\n').find((line) => line.startsWith('▸'));

test('arrows and digits move the selection', async (t) => {
  const { frame, until, press, app } = await mount();
  t.regex(selectedRow(frame()) ?? '', /^▸ +1 /);
  await press(KEYS.down);
  await until('worker 2 selected', (f) => /^▸ +2 /.test(selectedRow(f) ?? ''));
  await press(KEYS.up, KEYS.up);
  await until('wrapped to worker 4', (f) => /^▸ +4 /.test(selectedRow(f) ?? ''));
  await press('3');
  await until('worker 3 selected', (f) => /^▸ +3 /.test(selectedRow(f) ?? ''));
  t.pass();
  app.unmount();
});

test('r asks "restart worker N? y/n", y sends the restart of that worker and shows the answer', async (t) => {
  const { actions, until, press, app } = await mount();
  await press(KEYS.down, 'r');
  await until('the question', (f) => f.includes('restart worker 2? y/n'));
  t.deepEqual(actions.sent, []);
  await press('y');
  await until('the request on its way', (f) => f.includes('asking to restart worker 2'));
  await until('the answer', (f) => f.includes('restart of worker 2 requested'));
  t.deepEqual(actions.sent, [{ type: 'restart', workerId: 2 }]);
  app.unmount();
});

test('keys that arrive in one read (fast typing over SSH) each count: "2ry" restarts worker 2', async (t) => {
  const { actions, until, press, app } = await mount();
  await press('2ry');
  await until('the answer', (f) => f.includes('restart of worker 2 requested'));
  t.deepEqual(actions.sent, [{ type: 'restart', workerId: 2 }]);
  app.unmount();
});

test('r then anything but y cancels; R restarts every failed worker at once', async (t) => {
  const { actions, until, press, app } = await mount({ state: FIXTURE_STATES.failed });
  await press('r', 'n');
  await until('cancelled', (f) => f.includes('cancelled'));
  t.deepEqual(actions.sent, []);
  await press('R');
  await until('the answer', (f) => f.includes('restart-failed requested'));
  t.deepEqual(actions.sent, [{ type: 'restart-failed' }]);
  app.unmount();
});

test('read-only attach: restart keys say so and send nothing; q quits at once', async (t) => {
  const actions = recordingActions();
  const { until, press } = await mount({ state: FIXTURE_STATES.attach, mode: 'attach', actions });
  await until('the read-only badge', (f) => f.includes('READ-ONLY'));
  await press('r');
  await until('the read-only message', (f) => f.includes('read-only: no supervisor running'));
  await press('R');
  t.deepEqual(actions.sent, []);
  await press('q');
  await waitFor(() => actions.quits === 1, 'quit');
  t.is(actions.quits, 1);
});

test('s sorts the leaderboard by the next column and shows it', async (t) => {
  const { frame, until, press, app } = await mount({ state: FIXTURE_STATES.done });
  const firstPair = (f: string) =>
    f
      .split('\n')
      .find((l) => /^ +1 [A-Z]/.test(l))
      ?.trim()
      .split(/ +/)[1];
  t.regex(frame(), /sorted by P\/L ▼/);
  t.is(firstPair(frame()), 'SOL-USD');
  await press('s');
  await until('sorted by Sharpe', (f) => f.includes('sorted by Sharpe ▼'));
  t.is(firstPair(frame()), 'SOL-USD');
  await press('s');
  await until('sorted by win rate', (f) => f.includes('sorted by win ▼'));
  t.is(firstPair(frame()), 'SOL-USD');
  await press('s');
  await until('sorted by drawdown, smallest first', (f) => f.includes('sorted by max DD ▲'));
  t.is(firstPair(frame()), 'ADA-USD');
  await press('S');
  await until('reversed', (f) => f.includes('sorted by max DD ▼'));
  t.is(firstPair(frame()), 'SOL-USD');
  app.unmount();
});

test('? shows every key of the key map, Esc closes it', async (t) => {
  const { frame, until, press, app } = await mount({ columns: 120 });
  await press('?');
  await until('the help', (f) => f.includes('Keys (? or Esc closes)'));
  for (const binding of KEY_BINDINGS) {
    t.true(frame().includes(binding.keys), binding.keys);
    t.true(frame().includes(binding.description), binding.description);
  }
  await press(KEYS.escape);
  await until('the help closed', (f) => !f.includes('Keys (? or Esc closes)') && f.includes('Leaderboard'));
  app.unmount();
});

test('l toggles the selected worker’s log', async (t) => {
  const { until, press, app } = await mount();
  const tail = FIXTURE_STATES.running.workers[1]?.logTail.at(-1) ?? '';
  await press('2', 'l');
  const shown = compactLogLine(tail).slice(0, 50);
  await until('the log of worker 2', (f) => f.includes('Log · worker 2') && f.includes(shown));
  await press('l');
  await until('the log hidden', (f) => !f.includes('Log · worker 2'));
  t.pass();
  app.unmount();
});

test('q asks in a run; y calls quit and closes the dashboard', async (t) => {
  const { actions, until, press, app } = await mount();
  await press('q');
  await until('the question', (f) => f.includes('quit and stop the run? y/n'));
  t.is(actions.quits, 0);
  await press('y');
  await waitFor(() => actions.quits === 1, 'quit');
  t.is(actions.quits, 1);
  t.is(actions.interrupts, 0, 'q is a plain quit, not an interrupt');
  app.unmount();
});

test('Ctrl-C quits at once, as an interrupt (the run then ends as after SIGINT)', async (t) => {
  const { actions, press } = await mount();
  await press(KEYS.ctrlC);
  await waitFor(() => actions.quits === 1, 'quit');
  t.is(actions.quits, 1);
  t.is(actions.interrupts, 1);
});

test('80×24 still shows every worker, nothing wider than the terminal', async (t) => {
  for (const name of ['running', 'stalled', 'failed', 'done'] as const) {
    const state = FIXTURE_STATES[name];
    const { frame, app } = await mount({ state, columns: 80, rows: 24 });
    const lines = frame().split('\n');
    t.is(lines.length, 23, name);
    for (const line of lines) t.true([...line].length <= 80, `${name}: ${line}`);
    for (const worker of state.workers) {
      t.true(
        lines.some((l) => new RegExp(`^[▸ ] +${worker.workerId} `).test(l)),
        `${name}: worker ${worker.workerId}`,
      );
    }
    t.regex(frame(), /Leaderboard/, name);
    app.unmount();
  }
});

test('120×40 draws the workers as panels in a grid', async (t) => {
  const { frame, app } = await mount({ state: FIXTURE_STATES.failed, columns: 120, rows: 40 });
  t.regex(frame(), /Worker 1 .*Worker 2/);
  t.regex(frame(), /Worker 3 .*Worker 4/);
  t.regex(frame(), /restart in 7s/);
  for (const line of frame().split('\n')) t.true([...line].length <= 120, line);
  app.unmount();
});

test('a store update redraws the worker', async (t) => {
  const { store, until, app } = await mount({ state: FIXTURE_STATES.failed });
  const state = FIXTURE_STATES.failed;
  store.set({
    ...state,
    workers: state.workers.map((w) =>
      w.workerId === 4 ? { ...w, restarts: 6, process: 'running', state: 'training' } : w,
    ),
  });
  await until('restarts 6', (f) => f.includes('restarts 6'));
  t.pass();
  app.unmount();
});

test('the 1 s tick keeps ages and countdowns moving between store updates', async (t) => {
  let wall = 1_000_000;
  const app = render(
    <DashboardApp
      store={settableStore(FIXTURE_STATES.failed)}
      actions={recordingActions()}
      mode="run"
      clock={() => wall}
      tickMs={20}
    />,
  );
  const frame = () => app.lastFrame() ?? '';
  await waitFor(() => frame().includes('restart in 7s'), 'the countdown at 7 s', frame);
  wall += 3_000;
  await waitFor(() => frame().includes('restart in 4s'), 'the countdown at 4 s', frame);
  t.regex(frame(), /hb 3s/, 'heartbeat ages grow too');
  app.unmount();
});
