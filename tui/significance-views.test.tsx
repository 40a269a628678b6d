/** @jsxRuntime automatic */
/** @jsxImportSource react */
import { stripVTControlCharacters } from 'node:util';
import test from 'ava';
import { render } from 'ink-testing-library';
import { aggregateResults } from '../supervisor/aggregate.js';
import { reduce } from '../supervisor/reducer.js';
import { runningState } from '../test/fixtures/dashboard-states.js';
import { jobResult, workerResults } from '../test/helpers/worker-results-fixture.js';
import { formatInterval, formatPValue, formatSignificant } from './format.js';
import { formatSummary } from './headless/headless-reporter.js';
import { cellColor, Leaderboard } from './ink/leaderboard.js';
import { DEFAULT_SORT } from './ink/leaderboard-columns.js';

// Issue 8, item 8: every view shows per row the Sharpe interval, p vs buy-and-hold and vs random, the
// deflated Sharpe and whether the row survives the correction; rows without significance never read as wins.

const NOW = new Date('2025-06-01T12:00:00.000Z');

/** Two pairs through the real aggregation and reducer: ETH-USD significant after BH, BTC-USD not. */
function stateWithEvidence() {
  const results = workerResults(1, [
    jobResult({ pair: 'BTC-USD', pnlPct: 12.5, buyAndHoldPnlPct: 3, pVsBuyAndHold: 0.4 }),
    jobResult({ pair: 'ETH-USD', pnlPct: 20, buyAndHoldPnlPct: 5, pVsBuyAndHold: 0.001 }),
  ]);
  const aggregated = aggregateResults(runningState.runId ?? 'run', 2, [results], NOW);
  return reduce({ ...runningState, runId: aggregated.runId }, { type: 'aggregated', aggregated });
}

test('formats: p-values in five characters, intervals with one decimal, significance in words', (t) => {
  t.deepEqual(
    [0.94, 0.004, 0.0002, null].map((p) => formatPValue(p)),
    ['0.94', '0.004', '<.001', '—'],
  );
  t.is(formatInterval(-1.04, 7.91), '[-1.0, 7.9]');
  t.is(formatInterval(null, 2), '—');
  t.deepEqual([{ significant: true }, { significant: false }, undefined].map(formatSignificant), [
    'yes',
    'no',
    '—',
  ]);
});

test('the reducer carries each best row’s significance into the leaderboard', (t) => {
  const s = stateWithEvidence();
  const row = (pair: string) => s.leaderboard.find((r) => r.pair === pair)!;
  t.is(row('ETH-USD').evidence?.significant, true);
  t.is(row('BTC-USD').evidence?.significant, false);
  t.is(row('BTC-USD').evidence?.pVsBuyAndHold, 0.4);
  const { sharpeLow, sharpeHigh, deflatedSharpe } = row('ETH-USD').evidence!;
  t.true(sharpeLow !== null && sharpeHigh !== null && sharpeLow <= sharpeHigh);
  t.true(deflatedSharpe !== null && deflatedSharpe >= 0 && deflatedSharpe <= 1);
});

test('dashboard: the sig column says yes/no, and a non-significant gain is not drawn green', (t) => {
  const s = stateWithEvidence();
  const { lastFrame, unmount } = render(
    <Leaderboard rows={s.leaderboard} sort={DEFAULT_SORT} width={160} maxRows={5} />,
  );
  const frame = lastFrame() ?? '';
  unmount();
  const plain = stripVTControlCharacters(frame);
  t.regex(plain, /sig/);
  t.regex(plain, /95% CI/);
  t.regex(plain, /p B&H/);
  t.regex(plain, /DSR/);
  const line = (pair: string) => plain.split('\n').find((l) => l.includes(pair)) ?? '';
  t.regex(line('ETH-USD'), /yes/);
  t.regex(line('BTC-USD'), / no\b/);
  t.regex(line('BTC-USD'), /0\.40/);
  // Colour (chalk decides whether a pipe gets any, so the choice itself is what is checked).
  const row = (pair: string) => s.leaderboard.find((r) => r.pair === pair)!;
  t.is(cellColor('pnl', row('ETH-USD')), 'green');
  t.is(cellColor('pnl', row('BTC-USD')), undefined, 'a gain without significance is not a win');
  t.is(cellColor('vsBuyAndHold', row('BTC-USD')), undefined);
  t.is(cellColor('pnl', { ...row('BTC-USD'), metrics: { ...row('BTC-USD').metrics, pnlPct: -3 } }), 'red');
  const { evidence: _none, ...older } = row('BTC-USD');
  t.is(cellColor('pnl', older), 'green', 'older results without significance read as before');
});

test('headless summary: the significance columns and their legend once results carry them', (t) => {
  const lines = formatSummary(stateWithEvidence()).split('\n');
  const header = lines.find((l) => l.startsWith('pair'))!;
  t.regex(header, /95% CI +p B&H +p rnd +DSR +sig$/);
  t.regex(lines.find((l) => l.startsWith('ETH-USD'))!, /yes$/);
  t.regex(lines.find((l) => l.startsWith('BTC-USD'))!, /0\.40 .* no$/);
  t.true(lines.some((l) => l.startsWith('sig: beats buy-and-hold after Benjamini–Hochberg')));
  const older = formatSummary(runningState);
  t.notRegex(older, /p B&H/, 'older results without significance keep the old table');
});
