import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

// Drive a real terminal for end-to-end tests: a detached tmux session on a private server socket (never the
// user's tmux), keys in with send-keys, the screen out with capture-pane.

const run = promisify(execFile);

/** True when a tmux binary answers on this machine. */
export function tmuxAvailable(): boolean {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface TmuxSessionOptions {
  /** A shell command line run in the session's only pane. */
  command: string;
  columns: number;
  rows: number;
  cwd?: string;
  /** Environment of the tmux server (and so of the command). Defaults to this process's. */
  env?: NodeJS.ProcessEnv;
}

export interface TmuxSession {
  /** The private server socket name (`tmux -L`). */
  readonly socket: string;
  readonly target: string;
  /** The visible screen as text, one line per row (no colours). */
  capture(): Promise<string>;
  /** The visible screen with its escape sequences (colours, bold, inverse) as the terminal holds them. */
  captureEscapes(): Promise<string>;
  /** Sends tmux key names or literal text (`'r'`, `'Down'`, `'C-c'`). */
  sendKeys(...keys: string[]): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
  /** A tmux format about the pane (`#{alternate_on}`, `#{pane_dead}`, `#{pane_current_command}`). */
  paneInfo(format: string): Promise<string>;
  /** Polls the screen until `predicate` holds; returns that screen, or fails showing the last one. */
  waitForScreen(predicate: (screen: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  /** Kills the session's private server (and so the command). Safe to call twice. */
  kill(): Promise<void>;
}

/** Starts `command` in a detached tmux session of the given size on a private server. */
export async function startTmuxSession(options: TmuxSessionOptions): Promise<TmuxSession> {
  const socket = `tw-test-${randomUUID().slice(0, 8)}`;
  const target = 'main';
  const tmux = async (...args: string[]) => {
    const { stdout } = await run('tmux', ['-L', socket, ...args], { cwd: options.cwd, env: options.env });
    return stdout;
  };
  await tmux(
    'new-session',
    '-d',
    '-s',
    target,
    '-x',
    String(options.columns),
    '-y',
    String(options.rows),
    ...(options.cwd ? ['-c', options.cwd] : []),
    options.command,
  );
  let killed = false;
  const session: TmuxSession = {
    socket,
    target,
    capture: () => tmux('capture-pane', '-p', '-t', target),
    captureEscapes: () => tmux('capture-pane', '-p', '-e', '-t', target),
    async sendKeys(...keys) {
      for (const key of keys) await tmux('send-keys', '-t', target, key);
    },
    async resize(columns, rows) {
      await tmux('resize-window', '-t', target, '-x', String(columns), '-y', String(rows));
    },
    async paneInfo(format) {
      return (await tmux('display-message', '-p', '-t', target, format)).trim();
    },
    async waitForScreen(predicate, what, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      let screen = '';
      for (;;) {
        screen = await session.capture().catch(() => screen);
        if (predicate(screen)) return screen;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${screen}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async kill() {
      if (killed) return;
      killed = true;
      await tmux('kill-server').catch(() => undefined);
      // tmux can leave the dead server's socket file behind; it is ours, so tidy it.
      const uid = process.getuid?.() ?? 0;
      await rm(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${uid}`, socket), { force: true });
    },
  };
  return session;
}

/** Quotes a word for the shell command line tmux runs. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
