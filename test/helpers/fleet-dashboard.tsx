/** @jsxRuntime automatic */
/** @jsxImportSource react */
import type { ExecutionContext } from 'ava';
import { render } from 'ink-testing-library';
import { FleetStream } from '../../bench/fleet-stream.js';
import { initialState, reduce } from '../../supervisor/reducer.js';
import { DashboardApp } from '../../tui/ink/app.js';
import { outputGetters, setFrameCache } from '../../tui/ink/frame-cache.js';
import { KEYS, recordingActions, resizeFakeStdout, settableStore, waitFor } from './ink.js';

type Getters = NonNullable<ReturnType<typeof outputGetters>>;
/** Ink's `Output.get` as installed on its prototype. */
export type OutputGet = Getters['ink'];

export interface FleetDrawing {
  workers: number;
  jobs: number;
  /** Store batches drawn after the first frame, each this many seconds of the fleet stream. */
  batches: number;
  batchSeconds: number;
  /** Keys pressed after the batches, each given two turns of the event loop. */
  keys: string[];
  /** A terminal size to end on (160×50 until then). */
  endSize?: { columns: number; rows: number };
}

/**
 * Draws the real dashboard over a seeded fleet stream in ink-testing-library, with `get` in place of
 * Ink's `Output.get` for every frame (Ink's own and the cached one are passed to it), through batches of
 * the stream and key presses. Colours follow FORCE_COLOR, which the calling test sets before Ink loads.
 * Returns the first fleet frame.
 */
export async function drawFleetDashboard(
  t: ExecutionContext,
  drawing: FleetDrawing,
  get: (getters: Getters) => OutputGet,
): Promise<{ firstFrame: string }> {
  const getters = outputGetters();
  if (!getters) throw new Error('the installed Ink is not one the frame cache was checked against');
  getters.Output.prototype.get = get(getters);
  t.teardown(() => setFrameCache(true));
  const stream = new FleetStream({ workers: drawing.workers, jobs: drawing.jobs });
  let state = initialState({ mode: 'run', resultsDir: '/results', now: stream.now });
  for (const event of [...stream.start(), ...stream.advance(2)]) state = reduce(state, event);
  const store = settableStore(state);
  const app = render(
    <DashboardApp
      store={store}
      actions={recordingActions()}
      mode="run"
      clock={() => stream.now}
      tickMs={0}
    />,
  );
  t.teardown(() => app.unmount());
  resizeFakeStdout(app.stdout, 160, 50);
  const frame = () => app.lastFrame() ?? '';
  await waitFor(() => frame().includes(`of ${drawing.workers}`), 'the first fleet frame', frame);
  const firstFrame = frame();
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  for (let batch = 0; batch < drawing.batches; batch++) {
    for (const event of stream.advance(drawing.batchSeconds)) state = reduce(state, event);
    store.set(state);
    await settle();
  }
  for (const key of drawing.keys) {
    app.stdin.write(key);
    await settle();
    await settle();
  }
  if (drawing.endSize) {
    resizeFakeStdout(app.stdout, drawing.endSize.columns, drawing.endSize.rows);
    await settle();
  }
  return { firstFrame };
}

/**
 * Every distinct line Ink writes while it draws a 64-worker dashboard at 160×50 through batches of the
 * fleet stream, the log, help and trials views and key presses.
 */
export async function dashboardLines(t: ExecutionContext): Promise<string[]> {
  const seen = new Set<string>();
  await drawFleetDashboard(
    t,
    {
      workers: 64,
      jobs: 400,
      batches: 20,
      batchSeconds: 0.5,
      keys: [KEYS.down, 'l', '?', KEYS.escape, 't', KEYS.down, 't'],
    },
    ({ cached }) =>
      function recorded(this: ThisParameterType<OutputGet>) {
        for (const operation of (this as unknown as { operations: { type: string; text?: string }[] })
          .operations) {
          if (operation.type === 'write') for (const line of operation.text!.split('\n')) seen.add(line);
        }
        return cached.call(this);
      },
  );
  return [...seen];
}
