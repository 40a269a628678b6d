import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {
  readJsonTolerant,
  WorkerStatusSchema,
  workerStatusFile,
  writeJsonAtomic,
} from '../../shared/index.js';
import { launchChromium } from '../helpers/chromium.js';
import { readReport, runArgs, runCli, tempRunDirs } from '../helpers/cli.js';
import { repoRoot } from '../helpers/run-fixture.js';
import { isAlive } from '../helpers/temp-dir.js';
import { shellQuote, startTmuxSession, tmuxAvailable } from '../helpers/tmux.js';
import { waitFor } from '../helpers/wait-for.js';

// The views on real runs: the real supervisor and workers training on real candles, watched the
// way a person would — the dashboard in a real terminal (tmux), the HTTP mirror in Chromium.

test.serial(
  'the dashboard in tmux over a real run: r y restarts a worker, resize, q y stops the run cleanly',
  async (t) => {
    if (!tmuxAvailable()) throw new Error('tmux is not installed: the terminal end-to-end test needs it');
    const dirs = tempRunDirs(t);
    const args = [
      'train',
      ...runArgs(dirs, { workers: 2, pairs: ['BTC-USD', 'ETH-USD', 'SOL-USD'], variants: 4, episodes: 4 }),
    ];
    // Ink draws nothing until exit when it believes it runs in CI, so the dashboard runs without it.
    const command = `env -u CI node --import tsx cli.ts ${args.map(shellQuote).join(' ')}; echo "RUN-EXIT $?"; sleep 120`;
    const session = await startTmuxSession({ command, columns: 120, rows: 40, cwd: repoRoot });
    try {
      // The log pane follows the worker's log once a second, so its first line can come a frame after
      // the status that says training.
      let screen = await session.waitForScreen(
        (s) => /Worker 1 +● training/.test(s) && s.includes('Worker 2') && /backend js-kernel/.test(s),
        'worker 1 training on the dashboard, its log line in the pane',
        90_000,
      );
      t.regex(screen, /AI Trading Workers/);
      t.regex(screen, /Log · worker 1[\s\S]*backend js-kernel/);

      await session.sendKeys('1');
      await session.waitForScreen((s) => /▸ Worker 1/.test(s), 'worker 1 selected');
      await session.sendKeys('r');
      await session.waitForScreen((s) => s.includes('restart worker 1? y/n'), 'the confirmation');
      await session.sendKeys('y');
      screen = await session.waitForScreen(
        (s) => /restarts 1/.test(s),
        'the restart counted on screen',
        30_000,
      );

      await session.resize(80, 24);
      screen = await session.waitForScreen(
        (s) =>
          !s.includes('╭') &&
          s.split('\n').every((l) => [...l.trimEnd()].length <= 80) &&
          /Leaderboard/.test(s),
        'the compact layout at 80×24',
        15_000,
      );
      t.regex(screen, /^[▸ ] +1 /m);
      t.regex(screen, /^[▸ ] +2 /m);

      await session.sendKeys('q');
      screen = await session.waitForScreen(
        (s) => s.includes('quit and stop the run? y/n') || s.includes('RUN-EXIT'),
        'the quit question',
      );
      if (!screen.includes('RUN-EXIT')) await session.sendKeys('y');
      screen = await session.waitForScreen((s) => /RUN-EXIT \d/.test(s), 'the run to stop', 60_000);
      t.is(await session.paneInfo('#{alternate_on}'), '0', 'the alternate screen was left');
      t.is(await session.paneInfo('#{cursor_flag}'), '1', 'the cursor is visible again');
      t.regex(screen, /Run run-\S+: \d+\/12 jobs done/, 'the summary is printed on the normal screen');

      const report = await readReport(dirs.results);
      t.true(report.workers.find((w) => w.workerId === 1)!.restarts >= 1);
      for (const workerId of [1, 2]) {
        const status = await readJsonTolerant(workerStatusFile(dirs.results, workerId), WorkerStatusSchema);
        if (status.ok) t.false(isAlive(status.value.pid), `worker ${workerId} outlived the supervisor`);
      }
    } finally {
      await session.kill();
    }
  },
);

test.serial(
  'attached from another shell to a headless run: r y restarts through command files, q only closes the viewer',
  async (t) => {
    if (!tmuxAvailable()) throw new Error('tmux is not installed: the terminal end-to-end test needs it');
    const dirs = tempRunDirs(t);
    const run = runCli(
      [
        'train',
        '--headless',
        ...runArgs(dirs, { workers: 2, pairs: ['BTC-USD', 'ETH-USD', 'SOL-USD'], variants: 4, episodes: 4 }),
      ],
      { env: { CI: 'true' } },
    );
    const command = `env -u CI node --import tsx cli.ts dashboard --results ${shellQuote(dirs.results)}; echo "VIEW-EXIT $?"; sleep 120`;
    const session = await startTmuxSession({ command, columns: 120, rows: 40, cwd: repoRoot });
    try {
      await session.waitForScreen(
        (s) => s.includes('ATTACHED') && /Worker 2 +● training/.test(s),
        'the attached dashboard with worker 2 training',
        90_000,
      );
      await session.sendKeys('2');
      await session.waitForScreen((s) => /▸ Worker 2/.test(s), 'worker 2 selected');
      await session.sendKeys('r');
      await session.waitForScreen((s) => s.includes('restart worker 2? y/n'), 'the confirmation');
      await session.sendKeys('y');
      // The answer comes back from the supervisor through the command's reply file.
      await session.waitForScreen(
        (s) => s.includes('worker 2: restarting') && /restarts 1/.test(s),
        'the restart answered and counted',
        30_000,
      );
      await session.sendKeys('q');
      await session.waitForScreen((s) => s.includes('VIEW-EXIT 0'), 'the viewer to close at once');
      t.is(await session.paneInfo('#{alternate_on}'), '0', 'the alternate screen was left');
      t.is(run.exitCode, null, 'closing the viewer left the run going');
    } finally {
      await session.kill();
      run.kill('SIGINT');
      await run;
    }
  },
);

test.serial(
  'the HTTP mirror of a real run in Chromium: workers, leaderboard, charts, and a live status change',
  async (t) => {
    const dirs = tempRunDirs(t);
    const trained = await runCli(
      [
        'train',
        '--headless',
        ...runArgs(dirs, { workers: 2, pairs: ['BTC-USD', 'ETH-USD'], variants: 2, episodes: 2, days: 120 }),
      ],
      { env: { CI: 'true' } },
    );
    t.is(trained.exitCode, 0, String(trained.stderr));

    // Attach to the finished run's folder and serve it, as `dashboard --http` does for a run elsewhere.
    const viewer = runCli(['dashboard', '--headless', '--http', '0', '--results', dirs.results], {
      env: { CI: 'true' },
    });
    let stderr = '';
    viewer.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const browser = await launchChromium();
    try {
      const url = await waitFor(
        () => /HTTP mirror: (http:\/\/\S+)/.exec(stderr)?.[1],
        'the mirror URL',
        60_000,
      );
      const page = await browser.newPage({ viewport: { width: 1366, height: 1000 } });
      const problems: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(url);
      // biome-ignore lint/performance/useDomNodeTextContent: rendered text (hidden elements excluded) is what a person reads
      const visibleText = () => page.locator('body').innerText();
      const text = await waitFor(
        async () => ((await visibleText()).includes('ETH-USD') ? visibleText() : null),
        'the page to show the run',
        15_000,
        100,
      );
      t.regex(text, /Worker 1/);
      t.regex(text, /Worker 2/);
      t.regex(text, /BTC-USD/);
      // Each pair's ensemble of its variants has its own leaderboard row.
      t.regex(text, /ensemble of 2/);
      const canvases = await page.$$eval(
        'canvas',
        (cs) => (cs as HTMLCanvasElement[]).filter((c) => c.getBoundingClientRect().width > 50).length,
      );
      // Two workers' reward curves and two pairs' equity curves.
      t.true(canvases >= 4, `${canvases} charts drawn`);

      // A status file changes on disk: the page shows it without a reload.
      const file = workerStatusFile(dirs.results, 2);
      const read = await readJsonTolerant(file, WorkerStatusSchema);
      if (!read.ok) throw new Error(read.message);
      await writeJsonAtomic(file, {
        ...read.value,
        seq: read.value.seq + 1,
        heartbeatAt: new Date().toISOString(),
        lastError: 'simulated: disk full while saving',
      });
      await waitFor(
        async () => (await visibleText()).includes('simulated: disk full while saving'),
        'the page to show the changed status',
        15_000,
        100,
      );
      t.deepEqual(problems, []);
      await page.screenshot({ path: path.join(dirs.results, 'mirror.png'), fullPage: true });
      t.true((await fs.stat(path.join(dirs.results, 'mirror.png'))).size > 10_000);
    } finally {
      await browser.close();
      viewer.kill('SIGINT');
      await viewer;
    }
  },
);
