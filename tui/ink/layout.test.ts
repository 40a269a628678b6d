import test from 'ava';
import { computeLayout, FOOTER_LINES, HEADER_LINES } from './layout.js';

test('80×24 uses compact two-line worker rows and keeps leaderboard rows', (t) => {
  const layout = computeLayout({ columns: 80, rows: 24, workers: 4, showLog: false });
  t.is(layout.workerStyle, 'row2');
  t.is(layout.width, 80);
  t.is(layout.height, 23);
  t.true(layout.leaderboardRows >= 4);
  t.is(HEADER_LINES + layout.workerLines + layout.leaderboardRows + 2 + FOOTER_LINES, layout.height);
});

test('120×40 draws panels two per row and a larger leaderboard', (t) => {
  const layout = computeLayout({ columns: 120, rows: 40, workers: 4, showLog: false });
  t.is(layout.workerStyle, 'panel');
  t.is(layout.panelColumns, 2);
  t.is(layout.panelWidth, 60);
  t.true(layout.leaderboardRows >= 15);
});

test('wide terminals put more panels in a row and grow sparklines', (t) => {
  const wide = computeLayout({ columns: 240, rows: 50, workers: 4, showLog: false });
  const narrow = computeLayout({ columns: 120, rows: 40, workers: 4, showLog: false });
  t.is(wide.panelColumns, 4);
  t.true(wide.sparkWidth >= narrow.sparkWidth);
  const three = computeLayout({ columns: 180, rows: 50, workers: 6, showLog: false });
  t.is(three.panelColumns, 3);
});

test('many workers on a small terminal fall back to one line each', (t) => {
  const layout = computeLayout({ columns: 80, rows: 24, workers: 9, showLog: false });
  t.is(layout.workerStyle, 'row1');
  t.is(layout.workerLines, 9);
});

test('the log pane shares what the workers leave with the leaderboard', (t) => {
  const closed = computeLayout({ columns: 80, rows: 24, workers: 4, showLog: false });
  const open = computeLayout({ columns: 80, rows: 24, workers: 4, showLog: true });
  t.is(closed.logLines, 0);
  t.true(open.logLines >= 3);
  t.true(open.leaderboardRows < closed.leaderboardRows);
  t.true(
    open.workerLines + open.logLines + open.leaderboardRows + 4 <= open.height - HEADER_LINES - FOOTER_LINES,
  );
});

test('a fleet too long for the screen scrolls in one line each and keeps the leaderboard', (t) => {
  for (const [columns, rows] of [
    [80, 24],
    [120, 40],
    [160, 50],
    [240, 70],
  ] as const) {
    const layout = computeLayout({ columns, rows, workers: 256, showLog: false });
    t.is(layout.workerStyle, 'row1', `${columns}×${rows}`);
    t.true(
      layout.workerRows < 256 && layout.workerRows >= 3,
      `${columns}×${rows}: ${layout.workerRows} rows`,
    );
    // One line of the section says which part of the list is shown.
    t.is(layout.workerLines, layout.workerRows + 1);
    t.true(layout.leaderboardRows >= 3, `${columns}×${rows}: leaderboard ${layout.leaderboardRows}`);
    t.is(HEADER_LINES + layout.workerLines + layout.leaderboardRows + 2 + FOOTER_LINES, layout.height);
  }
});

test('a scrolled fleet leaves room for the log pane and the leaderboard both', (t) => {
  for (const [columns, rows] of [
    [80, 30],
    [120, 40],
    [200, 60],
  ] as const) {
    const layout = computeLayout({ columns, rows, workers: 256, showLog: true });
    t.true(layout.workerRows >= 3 && layout.workerRows < 256, `${columns}×${rows}`);
    t.true(layout.logLines >= 3, `${columns}×${rows}: log ${layout.logLines}`);
    t.true(layout.leaderboardRows >= 3, `${columns}×${rows}: leaderboard ${layout.leaderboardRows}`);
  }
});

test('a fleet that fits is not cut', (t) => {
  const layout = computeLayout({ columns: 80, rows: 24, workers: 9, showLog: false });
  t.is(layout.workerRows, 9);
  const panels = computeLayout({ columns: 120, rows: 40, workers: 4, showLog: false });
  t.is(panels.workerRows, 4);
});
