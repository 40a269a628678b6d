import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import type { Browser, Page } from 'playwright-core';
import type { DashboardState } from '../../shared/dashboard-state.js';
import { startHttpMirror } from '../../tui/http/index.js';
import { fixtureLeaderboard } from '../fixtures/dashboard-states.js';
import { fixtureAggregated, httpDoneState, httpRunningState } from '../fixtures/http-state.js';
import { launchChromium } from '../helpers/chromium.js';
import { settableStore } from '../helpers/settable-store.js';

/** What the page prints for a figure that is not there. */
const DASH = '—';

// Drives the mirror's page in Debian's headless Chromium, as a person would look at it.

let browser: Browser;
test.before(async () => {
  browser = await launchChromium();
});
test.after.always(async () => {
  await browser?.close();
});

/** Console errors, uncaught exceptions and failed or refused requests of a page. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning')
      problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (req) =>
    problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`),
  );
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return problems;
}

/** Canvases of a selector that have a size and at least some painted pixels. */
const paintedCanvases = (page: Page, selector: string) =>
  page.$$eval(
    selector,
    (canvases) =>
      (canvases as HTMLCanvasElement[]).filter((c) => {
        const box = c.getBoundingClientRect();
        if (box.width < 50 || box.height < 50) return false;
        const ctx = c.getContext('2d');
        if (!ctx) return false;
        const { data } = ctx.getImageData(0, 0, c.width, c.height);
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted += 1;
        return painted > 200;
      }).length,
  );

function withWorkerOne(
  state: DashboardState,
  patch: Partial<DashboardState['workers'][number]>,
): DashboardState {
  const [first, ...rest] = state.workers;
  if (first === undefined) throw new Error('fixture state has no worker');
  return { ...state, workers: [{ ...first, ...patch }, ...rest] };
}

test.serial(
  'the page shows workers, leaderboard and charts, updates live, and says when the connection is lost',
  async (t) => {
    const store = settableStore(httpRunningState);
    let mirror = await startHttpMirror({ store, port: 0, env: {} });
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    try {
      await page.goto(mirror.url);
      await page.waitForSelector('#conn.conn-live');
      await page.waitForFunction(() => document.querySelectorAll('.worker').length === 4);
      t.is(await page.textContent('#conn'), 'live');
      t.true(await page.isHidden('#banner'));

      // Workers: one panel each, with job, episode and state.
      const firstWorker = httpRunningState.workers[0]!;
      const card = page.locator('.worker[data-worker-id="1"]');
      t.is(await card.locator('h3').textContent(), 'Worker 1');
      t.is(await card.locator('.badge').textContent(), 'training');
      t.is(await card.locator('.job').textContent(), `${firstWorker.pair} · ${firstWorker.variant}`);
      t.regex(
        (await card.locator('.ep-text').textContent()) ?? '',
        new RegExp(`^episode ${firstWorker.episode}/10`),
      );
      t.regex((await page.textContent('#state-counts')) ?? '', /training 4/);
      t.regex((await page.textContent('#progress-text')) ?? '', /jobs \d+\/60/);

      // Leaderboard: the terminal's columns, one row per pair.
      const headers = await page.$$eval('#leaderboard thead th', (ths) => ths.map((th) => th.textContent));
      t.deepEqual(headers, [
        '#',
        'Pair',
        'Variant',
        'P/L %',
        'Significant',
        'Win rate',
        'Sharpe',
        'Sharpe 95% CI',
        'p vs B&H',
        'p vs random',
        'Deflated Sharpe',
        'Max DD',
        'Trades',
        'B&H P/L %',
      ]);
      const rows = await page.$$eval('#leaderboard tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
      );
      t.is(rows.length, httpRunningState.leaderboard.length);
      // This state's results carry no significance (older files): those cells say so with a dash.
      t.deepEqual(rows[0], [
        '1',
        'BTC-USD',
        'base',
        '+6.42',
        DASH,
        '58.0%',
        '1.87',
        DASH,
        DASH,
        DASH,
        DASH,
        '8.05%',
        '41',
        '+3.10',
      ]);

      // Charts: a reward curve per worker, an equity curve (agent vs buy & hold) per best model.
      // A line needs two finished episodes; worker 3 has one, so its panel says so instead.
      const withCurves = httpRunningState.workers.filter((w) => w.recentRewards.length >= 2).length;
      t.is(withCurves, 3);
      t.is(await paintedCanvases(page, '.reward-chart canvas'), withCurves);
      t.regex(
        (await page.locator('.worker[data-worker-id="3"] .reward-chart').textContent()) ?? '',
        /^episode 1 reward -?\d+\.\d\d$/,
      );
      t.is(
        await paintedCanvases(page, '.equity-chart canvas'),
        httpRunningState.aggregated!.bestByPair.length,
      );
      t.deepEqual(
        await page
          .$$eval('.equity .u-legend .u-series th', (ths) => ths.map((th) => th.textContent?.trim()))
          .then((labels) => [...new Set(labels)].sort()),
        ['agent', 'buy & hold'],
      );
      await page.screenshot({ path: path.join(os.tmpdir(), 'http-mirror-desktop.png'), fullPage: true });

      // A status change reaches the page without a reload.
      const more = fixtureLeaderboard(['BTC-USD', 'XRP-USD', 'LINK-USD', 'LTC-USD', 'SOL-USD']);
      const next = withWorkerOne(
        { ...httpRunningState, leaderboard: more },
        { state: 'evaluating', episode: 10 },
      );
      store.set({ ...next, aggregated: fixtureAggregated(next) });
      await page.waitForFunction(
        () => document.querySelector('.worker[data-worker-id="1"] .badge')?.textContent === 'evaluating',
      );
      await page.waitForFunction(() => document.querySelectorAll('#leaderboard tbody tr').length === 5);
      await page.waitForFunction(() => document.querySelectorAll('.equity-chart canvas').length >= 5);
      t.regex((await card.locator('.ep-text').textContent()) ?? '', /^episode 10\/10/);
      t.deepEqual(problems, [], 'no console errors, failed requests or HTTP errors');

      // The mirror goes away: a banner says so; it comes back on the same port: live again.
      const { port } = mirror;
      await mirror.close();
      await page.waitForSelector('#banner:not([hidden])');
      t.is(await page.textContent('#banner'), 'connection lost — reconnecting…');
      t.is(await page.textContent('#conn'), 'connection lost — reconnecting');
      store.set(withWorkerOne(next, { state: 'done' }));
      mirror = await startHttpMirror({ store, port, env: {} });
      await page.waitForSelector('#conn.conn-live', { timeout: 15_000 });
      t.true(await page.isHidden('#banner'));
      await page.waitForFunction(
        () => document.querySelector('.worker[data-worker-id="1"] .badge')?.textContent === 'done',
      );
    } finally {
      await context.close();
      await mirror.close();
    }
  },
);

test.serial('on a phone the page fits the width and keeps every part', async (t) => {
  const store = settableStore(httpRunningState);
  const mirror = await startHttpMirror({ store, port: 0, env: {} });
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  const problems = watchProblems(page);
  try {
    await page.goto(mirror.url);
    await page.waitForSelector('#conn.conn-live');
    await page.waitForFunction(() => document.querySelectorAll('.equity-chart canvas').length === 4);
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      cards: Math.max(...[...document.querySelectorAll('.card')].map((c) => c.getBoundingClientRect().right)),
    }));
    t.true(widths.page <= 390, `page is ${widths.page}px wide`);
    t.true(widths.cards <= 390, `cards reach ${widths.cards}px`);
    t.is(await paintedCanvases(page, '.reward-chart canvas, .equity-chart canvas'), 7);
    t.true(await page.isVisible('#leaderboard'));
    await page.screenshot({ path: path.join(os.tmpdir(), 'http-mirror-phone.png'), fullPage: true });
    t.deepEqual(problems, []);
  } finally {
    await context.close();
    await mirror.close();
  }
});

test.serial(
  'with a token, one ?token= visit signs the page in: its assets and stream ride the cookie',
  async (t) => {
    const store = settableStore(httpRunningState);
    const token = 'browser-token-123';
    const mirror = await startHttpMirror({ store, port: 0, token, env: {} });
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    try {
      const refused = await page.goto(mirror.url);
      t.is(refused?.status(), 401);
      await page.close();
      const tokenPage = await context.newPage();
      const problems = watchProblems(tokenPage);
      await tokenPage.goto(`${mirror.url}?token=${token}`);
      t.is(tokenPage.url(), mirror.url, 'the token left the address bar');
      await tokenPage.waitForSelector('#conn.conn-live');
      await tokenPage.waitForFunction(() => document.querySelectorAll('.worker').length === 4);
      t.is(await paintedCanvases(tokenPage, '.equity-chart canvas'), 4);
      t.deepEqual(problems, []);
    } finally {
      await context.close();
      await mirror.close();
    }
  },
);

// Issue 13, items 4 and 5: a finished run showed "episode 0/4" and empty charts, the leaderboard could
// not be sorted, and only the best variant per pair was shown anywhere.
test.serial(
  'a finished run: last episodes and reward curves, every trial, sortable tables linkable by hash',
  async (t) => {
    const store = settableStore(httpDoneState);
    const mirror = await startHttpMirror({ store, port: 0, env: {} });
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    try {
      await page.goto(mirror.url);
      await page.waitForSelector('#conn.conn-live');
      await page.waitForFunction(() => document.querySelectorAll('#trials tbody tr').length === 60);
      t.deepEqual(
        await page.$$eval('.worker .ep-text', (nodes) => nodes.map((n) => n.textContent)),
        Array(4).fill('episode 10/10 · all jobs finished'),
      );
      t.is(await paintedCanvases(page, '.reward-chart canvas'), 4);

      // Trials: every job with its hyperparameters; a click sorts, the hash keeps it.
      const headers = await page.$$eval('#trials thead th', (ths) => ths.map((th) => th.textContent));
      for (const title of ['Pair', 'Variant', 'lr', 'γ', 'Val Sharpe', 'P/L %', 'B&H P/L %'])
        t.true(headers.includes(title), title);
      await page.click('#trials th[data-column="pnl"]');
      await page.waitForFunction(() => location.hash.includes('trials=pnl.desc'));
      // The hash is written at the click, the table redrawn in the next frame: wait for the redraw.
      await page.waitForSelector('#trials th[data-column="pnl"][aria-sort="descending"]');
      const pnl = await page.$$eval('#trials tbody tr', (trs) =>
        trs.map((tr) => Number(tr.querySelectorAll('td')[11]?.textContent)).filter(Number.isFinite),
      );
      t.true(pnl.length > 50);
      t.deepEqual(
        pnl,
        [...pnl].sort((a, b) => b - a),
        'best P/L first',
      );

      // The pair filter, in the hash too; a reload keeps sort and pair.
      await page.selectOption('#trial-pair', 'ETH-USD');
      await page.waitForFunction(() => location.hash.includes('pair=ETH-USD'));
      await page.waitForFunction(() => document.querySelectorAll('#trials tbody tr').length === 4);
      const pairs = await page.$$eval('#trials tbody tr td:nth-child(2)', (tds) => [
        ...new Set(tds.map((td) => td.textContent)),
      ]);
      t.deepEqual(pairs, ['ETH-USD']);
      await page.reload();
      await page.waitForFunction(() => document.querySelectorAll('#trials tbody tr').length === 4);
      t.is(await page.inputValue('#trial-pair'), 'ETH-USD');
      t.is(await page.getAttribute('#trials th[data-column="pnl"]', 'aria-sort'), 'descending');

      // The leaderboard sorts on a click too (again: the other way round).
      await page.click('#leaderboard th[data-column="sharpe"]');
      await page.click('#leaderboard th[data-column="sharpe"]');
      await page.waitForFunction(() => location.hash.includes('lb=sharpe.asc'));
      await page.waitForSelector('#leaderboard th[data-column="sharpe"][aria-sort="ascending"]');
      const sharpe = await page.$$eval('#leaderboard tbody tr', (trs) =>
        trs.map((tr) => Number(tr.querySelectorAll('td')[5]?.textContent)).filter(Number.isFinite),
      );
      t.deepEqual(
        sharpe,
        [...sharpe].sort((a, b) => a - b),
      );
      await page.screenshot({ path: path.join(os.tmpdir(), 'http-mirror-finished.png'), fullPage: true });
      // The reload ends the first page's event stream: that abort is ours, not a problem.
      t.deepEqual(
        problems.filter((p) => !/\/api\/events net::ERR_ABORTED$/.test(p)),
        [],
      );
    } finally {
      await context.close();
      await mirror.close();
    }
  },
);
