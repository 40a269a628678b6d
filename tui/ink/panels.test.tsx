/** @jsxRuntime automatic */
/** @jsxImportSource react */
import test from 'ava';
import { render } from 'ink-testing-library';
import { FIXTURE_NOW, FIXTURE_STATES } from '../../test/fixtures/dashboard-states.js';
import { waitFor } from '../../test/helpers/ink.js';
import { compactLogLine } from '../format.js';
import { KEY_BINDINGS } from '../keymap.js';
import { Header } from './header.js';
import { HelpOverlay } from './help-overlay.js';
import { computeLayout } from './layout.js';
import { Leaderboard } from './leaderboard.js';
import { DEFAULT_SORT } from './leaderboard-columns.js';
import { LogPane } from './log-pane.js';
import { INITIAL_LOG_VIEW } from './log-view.js';
import { WorkerPanel } from './worker-panel.js';
import { WorkerRow } from './worker-row.js';

const { running, stalled, failed, done, attach } = FIXTURE_STATES;

function worker(state: typeof running, id: number) {
  const found = state.workers.find((w) => w.workerId === id);
  if (!found) throw new Error(`fixture has no worker ${id}`);
  return found;
}

function panel(state: typeof running, id: number, now = FIXTURE_NOW) {
  return render(
    <WorkerPanel
      worker={worker(state, id)}
      selected={false}
      width={60}
      sparkWidth={20}
      barWidth={20}
      now={now}
    />,
  );
}

test('header: progress, jobs, elapsed, ETA, runtime, backend and workers per state', (t) => {
  const { lastFrame } = render(
    <Header state={running} mode="run" canControl width={100} now={FIXTURE_NOW} />,
  );
  const frame = lastFrame() ?? '';
  t.regex(frame, /RUN/);
  t.regex(frame, /local · wasm/);
  t.regex(frame, /jobs 18\/60 done {3}0 failed/);
  t.regex(frame, /elapsed 17m42s/);
  t.regex(frame, /ETA 47m43s/);
  t.regex(frame, /4 workers {2}● 4 training/);
  t.regex(frame, /█+░+ +\d+%/);
});

test('header: no ETA yet shows a dash; read-only attach says so; a finished run says so', (t) => {
  const attached = render(
    <Header state={attach} mode="attach" canControl={false} width={120} now={FIXTURE_NOW} />,
  );
  t.regex(attached.lastFrame() ?? '', /ETA —/);
  t.regex(attached.lastFrame() ?? '', /READ-ONLY \(no supervisor running\)/);
  const finished = render(<Header state={done} mode="run" canControl width={120} now={FIXTURE_NOW} />);
  t.regex(finished.lastFrame() ?? '', /FINISHED/);
  t.regex(finished.lastFrame() ?? '', /✖ 1 failed/);
  t.regex(finished.lastFrame() ?? '', /✔ 4 done/);
});

test('panel of a running worker: state, job, episode bar, steps/s, sparkline, last P/L, heartbeat', (t) => {
  const frame = panel(running, 1).lastFrame() ?? '';
  t.regex(frame, /Worker 1 {2}● training/);
  t.regex(frame, /ETH-USD · fast-lr/);
  t.regex(frame, /ep {2}4\/10 █+░+ +3\d%/);
  t.regex(frame, /807 steps\/s/);
  t.regex(frame, /rewards [▁▂▃▄▅▆▇█]{3}/);
  t.regex(frame, /job P\/L \+2\.41%/);
  t.regex(frame, /restarts 0 · heartbeat 0s ago/);
});

test('panel of a stalled worker shows the stall and the heartbeat age', (t) => {
  const frame = panel(stalled, 3).lastFrame() ?? '';
  t.regex(frame, /⚠ stalled/);
  t.regex(frame, /⚠ no heartbeat for 47s/);
  t.regex(frame, /— steps\/s/);
});

test('panel of a worker in backoff: countdown, restarts and the error in one line', (t) => {
  const frame = panel(failed, 2).lastFrame() ?? '';
  t.regex(frame, /↻ backoff/);
  t.regex(frame, /restarts 2 · ↻ restart in 7s/);
  t.regex(frame, /✖ Error: WebAssembly\.Memory\(\): could not/);
  t.notRegex(frame, /at Object\.allocate/, 'stack frames stay out of the panel');
  const later = panel(failed, 2, FIXTURE_NOW + 5_200).lastFrame() ?? '';
  t.regex(later, /restart in 2s/);
  const dead = panel(failed, 4).lastFrame() ?? '';
  t.regex(dead, /✖ failed/);
  t.regex(dead, /restarts 5/);
  t.regex(dead, /jobs 6\/12 \(2 failed\)/);
});

test('panel of a finished worker', (t) => {
  const frame = panel(done, 3).lastFrame() ?? '';
  t.regex(frame, /✔ done/);
  t.regex(frame, /ep 10\/10 █+ 100%/);
  t.regex(frame, /jobs 15\/16 \(1 failed\)/);
  t.regex(frame, /job P\/L \+1\.77%/);
});

test('panel of a worker in a container shows the container state the engine reports', (t) => {
  const w = { ...worker(done, 1), container: { name: 'trading-workers-x_worker-1_1', state: 'exited' } };
  const { lastFrame } = render(
    <WorkerPanel worker={w} selected={false} width={60} sparkWidth={20} barWidth={20} now={FIXTURE_NOW} />,
  );
  t.regex(lastFrame() ?? '', /container exited/);
  t.notRegex(panel(done, 1).lastFrame() ?? '', /container/, 'local workers have no container');
});

test('compact rows keep state, job, episode, steps/s and P/L on one line of 80 columns', (t) => {
  const layout = computeLayout({ columns: 80, rows: 24, workers: 4, showLog: false });
  for (const lines of [1, 2] as const) {
    const { lastFrame } = render(
      <WorkerRow
        worker={worker(failed, 2)}
        selected
        width={80}
        sparkWidth={layout.sparkWidth}
        barWidth={layout.barWidth}
        now={FIXTURE_NOW}
        lines={lines}
      />,
    );
    const frame = lastFrame() ?? '';
    t.regex(frame, /▸ 2 {2}↻ backoff/);
    // One line keeps the pair only when the variant would be cut.
    t.regex(frame, lines === 2 ? /DOGE-USD\/fast-lr/ : /DOGE-USD /);
    t.regex(frame, /ep {2}3\/10/);
    t.regex(frame, /-1\.73%/);
    t.regex(frame, /restart in 7s/);
    for (const line of frame.split('\n')) t.true([...line].length <= 80, line);
  }
});

test('leaderboard: every pair with its metrics, sort column marked', (t) => {
  const { lastFrame } = render(
    <Leaderboard rows={done.leaderboard} sort={DEFAULT_SORT} width={100} maxRows={20} />,
  );
  const frame = lastFrame() ?? '';
  t.regex(frame, /Leaderboard · 15 pairs/);
  t.regex(frame, /sorted by P\/L ▼/);
  t.regex(frame, /pair +best variant +P\/L▼ +B&H P\/L/);
  const rows = frame.split('\n').filter((l) => /^ +\d+ /.test(l));
  t.is(rows.length, 15);
  t.regex(rows[0] ?? '', /1 SOL-USD +explore-long +\+11\.90% +-4\.20% .*61% +2\.31 .*11\.3% +48/);
  t.regex(rows[14] ?? '', /MATIC-USD .* -9\.60%/);
});

test('leaderboard: a pair’s ensemble is its own row, counted apart from the pairs', (t) => {
  const best = done.leaderboard.find((r) => r.pair === 'SOL-USD')!;
  const ensemble = {
    ...best,
    jobId: 'SOL-USD/ensemble',
    variant: 'ensemble of 4',
    metrics: { ...best.metrics, pnlPct: 13.25 },
    kind: 'ensemble' as const,
  };
  const { lastFrame } = render(
    <Leaderboard rows={[...done.leaderboard, ensemble]} sort={DEFAULT_SORT} width={100} maxRows={20} />,
  );
  const frame = lastFrame() ?? '';
  t.regex(frame, /Leaderboard · 15 pairs, 1 ensemble/);
  const rows = frame.split('\n').filter((l) => /^ +\d+ /.test(l));
  t.is(rows.length, 16);
  t.regex(rows[0] ?? '', /1 SOL-USD +ensemble of 4 +\+13\.25%/);
  t.regex(rows[1] ?? '', /2 SOL-USD +explore-long +\+11\.90%/);
});

test('leaderboard: rows beyond the space are counted, an empty board explains itself', (t) => {
  const short = render(<Leaderboard rows={done.leaderboard} sort={DEFAULT_SORT} width={80} maxRows={5} />);
  t.regex(short.lastFrame() ?? '', /15 pairs \(10 more below\)/);
  const empty = render(<Leaderboard rows={[]} sort={DEFAULT_SORT} width={80} maxRows={5} />);
  t.regex(empty.lastFrame() ?? '', /no finished jobs yet/);
});

test('leaderboard: the title names the Sharpe’s annualisation and the rows significant after the correction', (t) => {
  const rows = done.leaderboard.map((r) => ({ ...r, annualization: 8760 }));
  const multipleTesting = {
    method: 'benjamini-hochberg' as const,
    alpha: 0.05,
    pValue: 'vs-buy-and-hold' as const,
    tested: 15,
    significant: 1,
    expectedByChance: 0.75,
  };
  const { lastFrame } = render(
    <Leaderboard
      rows={rows}
      sort={DEFAULT_SORT}
      width={120}
      maxRows={20}
      multipleTesting={multipleTesting}
    />,
  );
  t.regex(
    lastFrame() ?? '',
    /Leaderboard · 15 pairs · Sharpe ×√8760 · 1\/15 significant \(0\.75 by chance\)/,
  );
});

test('log pane: the last lines that fit, newest last', (t) => {
  const w = worker(running, 2);
  const { lastFrame } = render(<LogPane worker={w} width={100} lines={3} view={INITIAL_LOG_VIEW} />);
  const frame = lastFrame() ?? '';
  t.regex(frame, /Log · worker 2/);
  const body = frame.split('\n').slice(2);
  t.is(body.length, 3);
  t.true(body[2]?.startsWith(`  ${compactLogLine(w.logTail.at(-1) ?? '').slice(0, 60)}`));
});

test('help overlay lists every key of the key map', async (t) => {
  const { lastFrame } = render(<HelpOverlay width={100} mode="run" canControl />);
  await waitFor(() => (lastFrame() ?? '').includes('Keys'), 'the help');
  const frame = lastFrame() ?? '';
  for (const binding of KEY_BINDINGS) {
    t.true(frame.includes(binding.keys), binding.keys);
    t.true(frame.includes(binding.description), binding.description);
  }
});
