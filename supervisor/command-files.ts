import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import {
  type CommandFile,
  CommandFileSchema,
  CommandReplySchema,
  commandsDir,
  RunLockSchema,
  readJsonTolerant,
  runLockFile,
  SCHEMA_VERSION,
  type SupervisorCommand,
  SupervisorCommandSchema,
  TEMP_PREFIX,
  writeJsonAtomic,
} from '../shared/index.js';
import { judgeLockOwner } from './lock-owner.js';
import { processAlive, processStart } from './run-lock.js';

/** The supervisor's answer to a command: `ok` false when it could not be carried out. */
export interface CommandAnswer {
  ok: boolean;
  message: string;
}

/** A command file is a few hundred bytes; anything much larger is not one, and is not read. */
export const MAX_COMMAND_BYTES = 4_096;
// Files older than the supervisor's start by more than this were left by an earlier run.
const STALE_SLACK_MS = 1_000;
const POLL_MS = 50;
// How long a file that is not yet a valid command may still be being written, and how often it is reread.
const YOUNG_MS = 1_000;
const REREAD_MS = 100;
// open(2) flags: never follow a symlink, never block on a FIFO (both absent on Windows).
const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0);

const OWN_COMMAND_FILE = /^\d{13}-[0-9a-f]{8}\.(json|reply)$/;

/** Whether a name in commands/ is one of this program's requests or replies. */
export function isCommandFileName(name: string): boolean {
  return OWN_COMMAND_FILE.test(name);
}

// A reply sits beside its command; not `.json`, so the command watcher passes it by. The id is
// checked against the contract's safe alphabet before it ever becomes part of a path.
const replyFile = (dir: string, id: string) => path.join(dir, `${id}.reply`);

/** Writes a command for the supervisor as results/commands/<time>-<rand>.json. */
export async function writeCommand(
  resultsDir: string,
  command: SupervisorCommand,
  issuedBy = `${os.userInfo().username}@${os.hostname()} pid ${process.pid}`,
): Promise<{ id: string; file: string }> {
  const checked = SupervisorCommandSchema.safeParse(command);
  if (!checked.success)
    throw new Error(`invalid command ${JSON.stringify(command)}: ${checked.error.message}`);
  // Unique per request: a time and 32 random bits.
  const id = `${Date.now()}-${randomBytes(4).toString('hex')}`;
  const file = path.join(commandsDir(resultsDir), `${id}.json`);
  const body: CommandFile = {
    schema: SCHEMA_VERSION,
    id,
    issuedAt: new Date().toISOString(),
    issuedBy,
    command: checked.data,
  };
  await writeJsonAtomic(file, body, { durable: false });
  return { id, file };
}

/** Why no supervisor can answer for this folder, or null when one holds its lock. */
async function noSupervisor(resultsDir: string): Promise<string | null> {
  const read = await readJsonTolerant(runLockFile(resultsDir), RunLockSchema);
  if (!read.ok) return read.reason === 'missing' ? 'no run.lock' : null;
  const verdict = judgeLockOwner(read.value, {
    host: os.hostname(),
    now: Date.now(),
    staleAfterMs: 30_000,
    processAlive,
    processStart,
  });
  return verdict.alive ? null : `its lock names a supervisor that is gone: ${verdict.why}`;
}

const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

/**
 * `trading-workers restart N` from another shell: writes the command, waits for the supervisor's
 * reply, and withdraws the command when none came, so a later supervisor does not act on it.
 * Answers at once when no supervisor holds the folder's lock.
 */
export async function requestCommand(
  resultsDir: string,
  command: SupervisorCommand,
  options: { timeoutMs?: number } = {},
): Promise<{ consumed: boolean; ok: boolean; message: string }> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const absent = await noSupervisor(resultsDir);
  if (absent) {
    return {
      consumed: false,
      ok: false,
      message: `${describeCommand(command)} not sent: no supervisor is running for ${resultsDir} (${absent})`,
    };
  }
  const { id, file } = await writeCommand(resultsDir, command);
  const reply = replyFile(commandsDir(resultsDir), id);
  const deadline = Date.now() + timeoutMs;
  let consumedAt: number | null = null;
  for (;;) {
    const read = await readJsonTolerant(reply, CommandReplySchema);
    if (read.ok) {
      await fs.rm(reply, { force: true });
      return { consumed: true, ok: read.value.ok ?? true, message: read.value.message };
    }
    // The supervisor writes its reply before it removes the command: give a late reply a moment.
    if (consumedAt === null && !(await exists(file))) consumedAt = Date.now();
    if (consumedAt !== null && Date.now() - consumedAt > 1_000) {
      return {
        consumed: true,
        ok: true,
        message: `${describeCommand(command)}: picked up by the supervisor`,
      };
    }
    if (consumedAt === null && Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  await fs.rm(file, { force: true });
  return {
    consumed: false,
    ok: false,
    message:
      `${describeCommand(command)}: no supervisor picked it up within ${Math.round(timeoutMs / 1000)} s ` +
      `(is a run going on with --results ${resultsDir}?); the request was withdrawn`,
  };
}

/** A short human description of a command. */
export function describeCommand(command: SupervisorCommand): string {
  switch (command.type) {
    case 'restart':
      return `restart of worker ${command.workerId}`;
    case 'restart-failed':
      return 'restart of the failed workers';
    case 'stop':
      return 'stop of the run';
  }
}

type Intake =
  | { kind: 'command'; value: CommandFile }
  | { kind: 'gone' }
  /** Not (yet) a whole command, but written a moment ago: perhaps still being written. */
  | { kind: 'young'; why: string }
  /** `remove`: the entry is deleted (a symlink or FIFO goes; a folder stays). */
  | { kind: 'refused'; why: string; remove: boolean };

/**
 * Reads one command file defensively: never follows a symlink, never blocks on a FIFO, never reads a
 * file that is not regular or is larger than a command, and never quotes what it read.
 */
async function readCommandFile(file: string, since: number | null): Promise<Intake> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'gone' };
    if (code === 'ELOOP') return { kind: 'refused', why: 'a symbolic link, not read', remove: true };
    return { kind: 'refused', why: `cannot be opened (${code ?? 'error'})`, remove: true };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      return { kind: 'refused', why: 'not a regular file, not read', remove: !stat.isDirectory() };
    }
    if (stat.nlink > 1)
      return { kind: 'refused', why: 'a hard link to another file, not read', remove: true };
    if (stat.size > MAX_COMMAND_BYTES) {
      return { kind: 'refused', why: `larger than ${MAX_COMMAND_BYTES} bytes, not read`, remove: true };
    }
    if (since !== null && stat.mtimeMs < since - STALE_SLACK_MS) {
      return { kind: 'refused', why: 'discarded: written before this supervisor started', remove: true };
    }
    const buffer = Buffer.alloc(MAX_COMMAND_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    // A file written in place (not renamed into it) can be seen half-written: a young one gets time.
    const young = Date.now() - stat.mtimeMs < YOUNG_MS;
    let data: unknown;
    try {
      data = JSON.parse(buffer.subarray(0, bytesRead).toString('utf8'));
    } catch {
      if (young) return { kind: 'young', why: 'not valid JSON' };
      return { kind: 'refused', why: 'not valid JSON', remove: true };
    }
    const parsed = CommandFileSchema.safeParse(data);
    if (!parsed.success) {
      // Field names and what was wrong, never the values (they may be someone's secret).
      const issues = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`)
        .join('; ');
      return { kind: 'refused', why: `not a command (${issues})`, remove: true };
    }
    if (`${parsed.data.id}.json` !== path.basename(file)) {
      return { kind: 'refused', why: 'its id is not its file name', remove: true };
    }
    return { kind: 'command', value: parsed.data };
  } finally {
    await handle.close();
  }
}

export interface CommandWatcher {
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * The supervisor's side: watches results/commands/, carries out each command file, writes the
 * answer beside it as `<id>.reply`, then deletes the command. A file written again under the same
 * name is carried out again; anything that is not a command is refused (and named) without being
 * acted on; files written before `since` (an earlier supervisor's) are discarded.
 */
export function watchCommands(
  resultsDir: string,
  execute: (command: SupervisorCommand, file: CommandFile) => Promise<CommandAnswer>,
  onProblem: (message: string) => void,
  options: { usePolling?: boolean; since?: number; rescanMs?: number } = {},
): CommandWatcher {
  const dir = commandsDir(resultsDir);
  const since = options.since ?? null;
  let closed = false;
  let watcher: FSWatcher | null = null;
  // Per name: the task handling it, and whether the name was written again meanwhile.
  const inFlight = new Map<string, { again: boolean; task: Promise<void> }>();
  // Refused but not removable (a folder named like a command): reported once, not rescanned.
  const leftInPlace = new Set<string>();

  const consume = async (name: string) => {
    const file = path.join(dir, name);
    let intake = await readCommandFile(file, since);
    for (let waited = 0; intake.kind === 'young' && !closed; waited += REREAD_MS) {
      await new Promise((resolve) => setTimeout(resolve, REREAD_MS));
      intake = await readCommandFile(file, since);
      if (intake.kind === 'young' && waited >= YOUNG_MS) {
        intake = { kind: 'refused', why: intake.why, remove: true };
      }
    }
    if (intake.kind === 'gone' || intake.kind === 'young') return;
    if (intake.kind === 'refused') {
      onProblem(`${file}: ${intake.why}`);
      if (intake.remove) await fs.rm(file, { force: true });
      else leftInPlace.add(name);
      return;
    }
    const { value } = intake;
    let answer: CommandAnswer;
    try {
      answer = await execute(value.command, value);
    } catch (error) {
      answer = { ok: false, message: `failed: ${(error as Error).message}` };
      onProblem(`${file}: command failed: ${(error as Error).message}`);
    }
    await writeJsonAtomic(
      replyFile(dir, value.id),
      {
        schema: SCHEMA_VERSION,
        id: value.id,
        at: new Date().toISOString(),
        ok: answer.ok,
        message: answer.message,
      },
      { durable: false },
    ).catch((error: Error) => onProblem(`${file}: could not write the reply: ${error.message}`));
    await fs.rm(file, { force: true });
  };

  const track = (file: string) => {
    const name = path.basename(file);
    if (closed || name.startsWith(TEMP_PREFIX) || !name.endsWith('.json')) return;
    const running = inFlight.get(name);
    if (running) {
      running.again = true;
      return;
    }
    const entry = { again: false, task: Promise.resolve() };
    entry.task = (async () => {
      do {
        entry.again = false;
        await consume(name).catch((error: Error) => onProblem(`${path.join(dir, name)}: ${error.message}`));
      } while (entry.again && !closed);
      inFlight.delete(name);
    })();
    inFlight.set(name, entry);
  };

  // chokidar coalesces a name removed and written again within a moment and can drop the event
  // (measured: the third write of one name in 60 ms went unseen), so the folder is also listed
  // twice a second: a command is never left waiting for an event that does not come.
  let rescan: NodeJS.Timeout | null = null;
  const scan = async () => {
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      if (!leftInPlace.has(name)) track(path.join(dir, name));
    }
  };

  const ready = (async () => {
    await fs.mkdir(dir, { recursive: true });
    watcher = watch(dir, {
      depth: 0,
      ignoreInitial: false,
      followSymlinks: false,
      usePolling: options.usePolling ?? false,
      interval: 200,
      ignored: (p: string) => path.basename(p).startsWith(TEMP_PREFIX),
    });
    watcher.on('add', (p) => track(p));
    watcher.on('change', (p) => track(p));
    watcher.on('error', (error) => onProblem(`${dir}: watch error (${(error as Error).message})`));
    await new Promise<void>((resolve) => watcher?.once('ready', () => resolve()));
    if (!closed) rescan = setInterval(() => void scan(), options.rescanMs ?? 500);
  })();

  return {
    ready,
    close: async () => {
      closed = true;
      await ready.catch(() => {});
      if (rescan) clearInterval(rescan);
      await watcher?.close();
      await Promise.allSettled([...inFlight.values()].map((e) => e.task));
    },
  };
}

/** `trading-workers restart N`: requestCommand, with `delivered` and `ok` for the exit code. */
export async function sendCommandFile(
  resultsDir: string,
  command: SupervisorCommand,
  options: { timeoutMs?: number } = {},
): Promise<{ delivered: boolean; ok: boolean; message: string }> {
  const { consumed, ok, message } = await requestCommand(resultsDir, command, options);
  return { delivered: consumed, ok, message };
}
