/** @jsxRuntime automatic */
/** @jsxImportSource react */
import type { ExecutionContext } from 'ava';
import { render } from 'ink-testing-library';
import { FleetStream } from '../../bench/fleet-stream.js';
import { initialState, reduce } from '../../supervisor/reducer.js';
import { DashboardApp } from '../../tui/ink/app.js';
import { outputGetters, setFrameCache } from '../../tui/ink/frame-cache.js';
import { KEYS, recordingActions, resizeFakeStdout, settableStore, waitFor } from './ink.js';

/**
 * Every distinct line Ink writes while it draws a 64-worker dashboard at 160×50 through batches of the
 * fleet stream, the log, help and trials views and key presses. Colours follow FORCE_COLOR, which the
 * calling test sets before Ink loads.
 */
export async function dashboardLines(t: ExecutionContext): Promise<string[]> {
  const getters = outputGetters();
  if (!getters) throw new Error('the installed Ink is not one the frame cache was checked against');
  const { Output, cached } = getters;
  const seen = new Set<string>();
  Output.prototype.get = function recorded(this: ThisParameterType<typeof cached>) {
    for (const operation of (this as unknown as { operations: { type: string; text?: string }[] })
      .operations) {
      if (operation.type === 'write') for (const line of operation.text!.split('\n')) seen.add(line);
    }
    return cached.call(this);
  };
  t.teardown(() => setFrameCache(true));
  const stream = new FleetStream({ workers: 64, jobs: 400 });
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
  await waitFor(() => frame().includes('of 64'), 'the first fleet frame', frame);
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  for (let batch = 0; batch < 20; batch++) {
    for (const event of stream.advance(0.5)) state = reduce(state, event);
    store.set(state);
    await settle();
  }
  for (const key of [KEYS.down, 'l', '?', KEYS.escape, 't', KEYS.down, 't']) {
    app.stdin.write(key);
    await settle();
    await settle();
  }
  return [...seen];
}
