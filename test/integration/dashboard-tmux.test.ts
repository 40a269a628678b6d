import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { FIXTURE_STATES } from '../fixtures/dashboard-states.js';
import { shellQuote, startTmuxSession, type TmuxSession, tmuxAvailable } from '../helpers/tmux.js';

// The real dashboard (renderDashboard over the demo's advancing in-memory store) in a real terminal:
// tmux draws it, we press keys and read the screen as a user would.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function startDemo(
  state: keyof typeof FIXTURE_STATES,
  flags: string[],
  columns: number,
  rows: number,
  env: Record<string, string> = {},
) {
  if (!tmuxAvailable()) throw new Error('tmux is not installed: the terminal end-to-end test needs it');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dashboard-tmux-'));
  const statePath = path.join(dir, `${state}.json`);
  await writeFile(statePath, JSON.stringify(FIXTURE_STATES[state]));
  // Ink draws nothing until exit when it thinks it runs in CI, so the demo runs without those variables.
  const command = [
    'env -u CI -u CONTINUOUS_INTEGRATION -u NO_COLOR -u FORCE_COLOR',
    ...Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`),
    'node --import tsx test/fixtures/dashboard-demo.tsx',
    shellQuote(statePath),
    ...flags,
    '; echo "DEMO-EXIT $?"; sleep 120',
  ].join(' ');
  const session = await startTmuxSession({ command, columns, rows, cwd: repoRoot });
  const cleanup = async () => {
    await session.kill();
    await rm(dir, { recursive: true, force: true });
  };
  return { session, cleanup };
}

const lines = (screen: string) => screen.split('\n');
const widest = (screen: string) => Math.max(...lines(screen).map((l) => [...l.trimEnd()].length));

async function expectRestored(t: import('ava').ExecutionContext, session: TmuxSession, exitCode = 0) {
  const screen = await session.waitForScreen(
    (s) => s.includes(`DEMO-EXIT ${exitCode}`),
    `exit code ${exitCode}`,
  );
  if (exitCode === 0) t.regex(screen, /dashboard closed/);
  t.is(await session.paneInfo('#{alternate_on}'), '0', 'the alternate screen was left');
  t.is(await session.paneInfo('#{cursor_flag}'), '1', 'the cursor is visible again');
  t.notRegex(screen, /Leaderboard/, 'the dashboard does not linger on the normal screen');
}

test.serial(
  'restart a worker with r y, resize to 80×24, quit with q y: the terminal is restored',
  async (t) => {
    const { session, cleanup } = await startDemo('running', [], 120, 40);
    try {
      let screen = await session.waitForScreen(
        (s) => s.includes('Leaderboard') && s.includes('Worker 4'),
        'the dashboard at 120×40',
        30_000,
      );
      t.is(await session.paneInfo('#{alternate_on}'), '1', 'drawn on the alternate screen');
      t.regex(screen, /Worker 1 .*Worker 2/, 'panels two per row');
      t.regex(screen, /Worker 3 .*Worker 4/);
      t.true(widest(screen) <= 120);
      t.is((screen.match(/restarts 0/g) ?? []).length, 4);

      await session.sendKeys('3');
      await session.waitForScreen((s) => /▸ Worker 3/.test(s), 'worker 3 selected');
      await session.sendKeys('r');
      await session.waitForScreen((s) => s.includes('restart worker 3? y/n'), 'the confirmation');
      await session.sendKeys('y');
      screen = await session.waitForScreen(
        (s) => s.includes('restarts 1') && s.includes('restart of worker 3 requested'),
        'the restart counted',
      );
      t.is((screen.match(/restarts 0/g) ?? []).length, 3);

      await session.resize(80, 24);
      screen = await session.waitForScreen(
        (s) => /^▸ +3 /m.test(s) && !s.includes('╭') && widest(s) <= 80,
        'the compact layout at 80×24',
      );
      for (const id of [1, 2, 3, 4])
        t.regex(screen, new RegExp(`^[▸ ] +${id} `, 'm'), `worker ${id} visible`);
      t.regex(screen, /Leaderboard/);
      t.regex(screen, /restarts 1/);
      t.regex(screen, /ETA /);

      await session.sendKeys('q');
      await session.waitForScreen((s) => s.includes('quit and stop the run? y/n'), 'the quit question');
      await session.sendKeys('y');
      await expectRestored(t, session);
    } finally {
      await cleanup();
    }
  },
);

test.serial('attached read-only: restart keys refuse, Ctrl-C quits and restores the terminal', async (t) => {
  const { session, cleanup } = await startDemo('stalled', ['--attach', '--read-only'], 100, 30);
  try {
    const screen = await session.waitForScreen(
      (s) => s.includes('READ-ONLY'),
      'the read-only dashboard',
      30_000,
    );
    t.regex(screen, /⚠ stalled/);
    await session.sendKeys('r');
    await session.waitForScreen((s) => s.includes('read-only: no supervisor running'), 'the refusal');
    await session.sendKeys('C-c');
    await expectRestored(t, session);
  } finally {
    await cleanup();
  }
});

test.serial('killed with SIGTERM, the dashboard still leaves the alternate screen', async (t) => {
  const { session, cleanup } = await startDemo('failed', [], 100, 30);
  try {
    await session.waitForScreen((s) => s.includes('Leaderboard'), 'the dashboard', 30_000);
    const shellPid = await session.paneInfo('#{pane_pid}');
    // The pane runs a shell whose child is the demo's node process: signal exactly that one.
    const demoPid = Number(
      execFileSync('pgrep', ['-P', shellPid, 'node'], { encoding: 'utf8' }).trim().split('\n')[0],
    );
    t.true(Number.isInteger(demoPid) && demoPid > 0);
    process.kill(demoPid, 'SIGTERM');
    await expectRestored(t, session, 143);
  } finally {
    await cleanup();
  }
});

// Issue 13, item 3: at 80 columns the header read `RUN · FINISHlocal · backend js-kernel (wasm simd; …`,
// at 70 `RUlocal`. Now fields are dropped whole: never wider than the terminal, never glued together.
test.serial(
  'the header drops whole fields at 200, 120, 100, 80 and 60 columns, never overlapping',
  async (t) => {
    const { session, cleanup } = await startDemo('done', [], 200, 30);
    try {
      await session.waitForScreen((s) => s.includes('Leaderboard'), 'the dashboard', 30_000);
      for (const columns of [200, 120, 100, 80, 60]) {
        await session.resize(columns, 30);
        // Ink redraws after the resize: wait for a whole frame (the header's last field is the mirror's URL).
        const screen = await session.waitForScreen(
          (s) => widest(s) <= columns && /RUN · FINISHED.*web http:\/\/127\.0\.0\.1:8502$/m.test(s),
          `the dashboard at ${columns} columns`,
        );
        const [line1 = '', line2 = '', line3 = ''] = lines(screen);
        t.regex(
          line1,
          /^(AI Trading Workers )?(run-\S+ +)? ?RUN · FINISHED {2,}/,
          `${columns}: title and badge first`,
        );
        t.regex(line1, /web http:\/\/127\.0\.0\.1:8502$/, `${columns}: the mirror's URL`);
        t.notRegex(line1, /FINISHED\S|\S {0,1}local/, `${columns}: nothing glued to the badge`);
        t.regex(line2, /100%/);
        t.regex(line3, /4 workers|✔ 4 done/);
        if (columns >= 100) t.regex(line1, /local · wasm · web/);
        if (columns >= 120) t.regex(line2, /elapsed 16m42s +ETA done$/);
      }
    } finally {
      await cleanup();
    }
  },
);

// Issue 13, items 5 and 6: every trial (t, s, f) and a log that scrolls and searches (/, n, g, G).
test.serial(
  'trials view: t opens every job, s sorts, f shows one pair; the log searches with / and n',
  async (t) => {
    const { session, cleanup } = await startDemo('running', [], 120, 40);
    try {
      await session.waitForScreen((s) => s.includes('Leaderboard'), 'the dashboard', 30_000);
      await session.sendKeys('t');
      // The whole frame, not its first lines: tmux can be captured while Ink is still writing it.
      let screen = await session.waitForScreen(
        (s) => s.includes('Trials · all pairs · 60 jobs, 18 done') && /ETH-USD +fast-lr +● running/.test(s),
        'the trials',
      );
      t.regex(screen, /# pair +variant +status +lr +γ/);
      t.regex(screen, /val Shrp▼/);
      t.regex(screen, /BTC-USD +explore-long +✔ done +5e-4 +0\.99/);
      t.regex(screen, /ETH-USD +fast-lr +● running +2e-3/);
      await session.sendKeys('s');
      screen = await session.waitForScreen((s) => /by P\/L ▼/.test(s), 'sorted by test P/L');
      await session.sendKeys('f');
      screen = await session.waitForScreen((s) => s.includes('Trials · BTC-USD · 4 jobs'), 'one pair');
      const rows = lines(screen).filter((l) => /^ +\d+ [A-Z]+-USD /.test(l));
      t.is(rows.length, 4);
      t.true(rows.every((l) => l.includes('BTC-USD')));
      await session.sendKeys('t');
      await session.waitForScreen((s) => s.includes('Leaderboard'), 'back to the workers');

      // A small terminal, so the log is longer than its pane and scrolls.
      await session.resize(80, 24);
      await session.waitForScreen(
        (s) => widest(s) <= 80 && s.includes('Leaderboard'),
        'the dashboard at 80×24',
      );

      // Whether the log starts open depends on the height Ink saw first (it opens on tall terminals, and
      // this one started at 40 rows): `l` toggles it, so a second `l` opens a log the first one closed.
      await session.sendKeys('l');
      screen = await session
        .waitForScreen((s) => s.includes('Log · worker 1'), 'the log pane', 3_000)
        .catch(async () => {
          await session.sendKeys('l');
          return session.waitForScreen((s) => s.includes('Log · worker 1'), 'the log pane');
        });
      t.regex(screen, /^ {2}\d\d:\d\d:\d\d ETH-USD/m, 'compact times, not ISO stamps');
      t.notRegex(screen, /\[20\d\d-\d\d-\d\dT/);
      await session.sendKeys('/', 'episode 2', 'Enter');
      screen = await session.waitForScreen(
        (s) => s.includes('/episode 2: match 1 of 1'),
        'the search answer',
      );
      t.regex(screen, /^▶ \d\d:\d\d:\d\d ETH-USD\/fast-lr episode 2\/10/m, 'the match is marked');
      await session.sendKeys('/', 'reward', 'Enter');
      await session.waitForScreen(
        (s) => /\/reward: match 1 of \d+ \(n older, N newer\)/.test(s),
        'several matches',
      );
      await session.sendKeys('n');
      await session.waitForScreen(
        (s) => /\/reward: match 2 of \d+/.test(s),
        'n goes to the next older match',
      );
      await session.sendKeys('g');
      await session.waitForScreen(
        (s) => /newer lines? below \(G follows\)/.test(s),
        'g scrolls to the oldest line',
      );
      await session.sendKeys('G');
      await session.waitForScreen((s) => !/below \(G follows\)/.test(s), 'G follows again');
    } finally {
      await cleanup();
    }
  },
);

// Issue 13, item 2: NO_COLOR=1 was ignored (colour codes in the pane).
const FOREGROUND = new RegExp(`${String.fromCharCode(27)}\\[(3\\d|9\\d|38;)`);
test.serial('NO_COLOR=1 draws without colours; without it the same screen has them', async (t) => {
  const plain = await startDemo('failed', [], 100, 30, { NO_COLOR: '1' });
  try {
    await plain.session.waitForScreen((s) => s.includes('Leaderboard'), 'the dashboard', 30_000);
    const escapes = await plain.session.captureEscapes();
    t.false(FOREGROUND.test(escapes), 'no foreground colour');
    t.regex(await plain.session.capture(), /✖ failed/, 'symbols still say the state');
  } finally {
    await plain.cleanup();
  }
  const coloured = await startDemo('failed', [], 100, 30);
  try {
    await coloured.session.waitForScreen((s) => s.includes('Leaderboard'), 'the dashboard', 30_000);
    t.true(FOREGROUND.test(await coloured.session.captureEscapes()));
  } finally {
    await coloured.cleanup();
  }
});
