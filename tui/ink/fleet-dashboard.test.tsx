/** @jsxRuntime automatic */
/** @jsxImportSource react */
import test from 'ava';
import { render } from 'ink-testing-library';
import { FleetStream } from '../../bench/fleet-stream.js';
import type { DashboardState } from '../../shared/index.js';
import { initialState, reduce } from '../../supervisor/reducer.js';
import { KEYS, recordingActions, resizeFakeStdout, settableStore, waitFor } from '../../test/helpers/ink.js';
import { DashboardApp } from './app.js';

// The dashboard with 256 workers and 2,000 jobs (issue 12): the worker list scrolls, the selection stays
// on screen, the header summarises the fleet and the leaderboard keeps its place under the list.

function fleetState(): DashboardState {
  const stream = new FleetStream({ workers: 256, jobs: 2_000 });
  let state = initialState({ mode: 'run', resultsDir: '/results', now: stream.now });
  for (const event of [...stream.start(), ...stream.advance(2)]) state = reduce(state, event);
  return state;
}

const COLUMNS = 120;
const ROWS = 40;

async function mount() {
  const state = fleetState();
  const app = render(
    <DashboardApp
      store={settableStore(state)}
      actions={recordingActions()}
      mode="run"
      clock={() => state.now}
      tickMs={0}
    />,
  );
  resizeFakeStdout(app.stdout, COLUMNS, ROWS);
  const frame = () => app.lastFrame() ?? '';
  const until = (what: string, predicate: (f: string) => boolean) =>
    waitFor(() => predicate(frame()), what, frame);
  await until('the first full frame', (f) => f.split('\n').length === ROWS - 1 && f.includes('of 256'));
  const press = async (key: string, times = 1) => {
    for (let i = 0; i < times; i++) {
      app.stdin.write(key);
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { app, frame, until, press };
}

/** The id on the line marked ▸ (the selected worker), or null when it is off screen. */
const selectedOnScreen = (frame: string) => {
  const line = frame.split('\n').find((l) => l.startsWith('▸'));
  return line ? Number(/^▸\s*(\d+)/.exec(line)?.[1]) : null;
};

test('with 256 workers the list scrolls with the selection and the leaderboard stays', async (t) => {
  const { app, frame, until, press } = await mount();
  t.teardown(() => app.unmount());
  t.is(selectedOnScreen(frame()), 1);
  t.regex(frame(), /256 workers {2}● 256 training/);
  t.regex(frame(), /workers 1–\d+ of 256 · ▼ \d+ below/);
  t.regex(frame(), /Leaderboard · 15 pairs/);
  t.false(frame().includes(' 200 '), 'worker 200 is not drawn while the top is shown');

  await press(KEYS.down, 40);
  await until('worker 41 selected', (f) => selectedOnScreen(f) === 41);
  const caption = /workers (\d+)–(\d+) of 256 · ▲ (\d+) above · ▼ (\d+) below/.exec(frame());
  t.truthy(caption, frame());
  const [first, last] = [Number(caption![1]), Number(caption![2])];
  t.is(last, 41, 'scrolling down keeps the selection on the last visible row');
  t.is(Number(caption![3]), first - 1);
  t.is(Number(caption![4]), 256 - last);

  // Moving up inside the window does not scroll it.
  await press(KEYS.up, 3);
  await until('worker 38 selected', (f) => selectedOnScreen(f) === 38);
  t.regex(frame(), new RegExp(`workers ${first}–${last} of 256`));

  // Wrapping from the first worker to the last shows the end of the list.
  await press('1');
  await until('worker 1 selected', (f) => selectedOnScreen(f) === 1);
  t.regex(frame(), /workers 1–\d+ of 256/);
  await press(KEYS.up);
  await until('worker 256 selected', (f) => selectedOnScreen(f) === 256);
  t.regex(frame(), /workers \d+–256 of 256 · ▲ \d+ above$/m);
  t.regex(frame(), /Leaderboard/);
  t.is(frame().split('\n').length, ROWS - 1, 'the frame still fits the terminal');
});
