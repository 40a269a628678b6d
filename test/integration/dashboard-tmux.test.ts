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

async function startDemo(state: keyof typeof FIXTURE_STATES, flags: string[], columns: number, rows: number) {
  if (!tmuxAvailable()) throw new Error('tmux is not installed: the terminal end-to-end test needs it');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dashboard-tmux-'));
  const statePath = path.join(dir, `${state}.json`);
  await writeFile(statePath, JSON.stringify(FIXTURE_STATES[state]));
  // Ink draws nothing until exit when it thinks it runs in CI, so the demo runs without those variables.
  const command = [
    'env -u CI -u CONTINUOUS_INTEGRATION node --import tsx test/fixtures/dashboard-demo.tsx',
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
