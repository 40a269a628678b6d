import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import {
  type CommandFile,
  CommandFileSchema,
  CommandReplySchema,
  commandsDir,
  readJsonTolerant,
  SCHEMA_VERSION,
  type SupervisorCommand,
  SupervisorCommandSchema,
  TEMP_PREFIX,
  writeJsonAtomic,
} from '../shared/index.js';

/** Writes a command for the supervisor as results/commands/<time>-<rand>.json. */
export async function writeCommand(
  resultsDir: string,
  command: SupervisorCommand,
  issuedBy = `${os.userInfo().username}@${os.hostname()} pid ${process.pid}`,
): Promise<{ id: string; file: string }> {
  const checked = SupervisorCommandSchema.safeParse(command);
  if (!checked.success)
    throw new Error(`invalid command ${JSON.stringify(command)}: ${checked.error.message}`);
  const id = `${Date.now()}-${randomBytes(4).toString('hex')}`;
  const file = path.join(commandsDir(resultsDir), `${id}.json`);
  const body: CommandFile = {
    schema: SCHEMA_VERSION,
    id,
    issuedAt: new Date().toISOString(),
    issuedBy,
    command: checked.data,
  };
  await writeJsonAtomic(file, body);
  return { id, file };
}

const COMMAND_FILE = /^\d{13}-[0-9a-f]{8}\.(json|reply)$/;

/** Whether a name in commands/ is one of this program's requests or replies. */
export function isCommandFileName(name: string): boolean {
  return COMMAND_FILE.test(name);
}

// A reply sits beside its command; not `.json`, so the command watcher passes it by.
const replyFile = (resultsDir: string, id: string) => path.join(commandsDir(resultsDir), `${id}.reply`);

/** Waits (bounded) until a command file is consumed (deleted by the supervisor). */
export async function waitForConsumed(file: string, timeoutMs: number, pollMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fs.access(file);
    } catch {
      return true;
    }
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/**
 * `trading-workers restart N` from another shell: writes the command, waits for a supervisor to take
 * it, and withdraws it when none did, so a later supervisor does not act on a stale request.
 */
export async function requestCommand(
  resultsDir: string,
  command: SupervisorCommand,
  options: { timeoutMs?: number } = {},
): Promise<{ consumed: boolean; message: string }> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const { id, file } = await writeCommand(resultsDir, command);
  const consumed = await waitForConsumed(file, timeoutMs);
  if (consumed) {
    // The supervisor writes its answer before it deletes the command, so it is there by now.
    const reply = await readJsonTolerant(replyFile(resultsDir, id), CommandReplySchema);
    await fs.rm(replyFile(resultsDir, id), { force: true });
    const message = reply.ok
      ? reply.value.message
      : `${describeCommand(command)}: picked up by the supervisor`;
    return { consumed, message };
  }
  await fs.rm(file, { force: true });
  return {
    consumed,
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

export interface CommandWatcher {
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * The supervisor's side: watches results/commands/, runs each command once, then deletes its file.
 * A file that is not a valid command is deleted too, with a problem report naming it.
 */
export function watchCommands(
  resultsDir: string,
  execute: (command: SupervisorCommand, file: CommandFile) => Promise<unknown> | unknown,
  onProblem: (message: string) => void,
  options: { usePolling?: boolean } = {},
): CommandWatcher {
  const dir = commandsDir(resultsDir);
  const seen = new Set<string>();
  let closed = false;
  let watcher: FSWatcher | null = null;
  const pending = new Set<Promise<void>>();

  const consume = async (file: string) => {
    const name = path.basename(file);
    if (closed || name.startsWith(TEMP_PREFIX) || !name.endsWith('.json') || seen.has(name)) return;
    seen.add(name);
    const read = await readJsonTolerant(file, CommandFileSchema);
    if (read.ok) {
      let answer: string;
      try {
        const result = await execute(read.value.command, read.value);
        answer =
          typeof result === 'string'
            ? result
            : `${describeCommand(read.value.command)}: picked up by the supervisor`;
      } catch (error) {
        answer = `failed: ${(error as Error).message}`;
        onProblem(`${file}: command failed: ${(error as Error).message}`);
      }
      await writeJsonAtomic(replyFile(resultsDir, read.value.id), {
        schema: SCHEMA_VERSION,
        id: read.value.id,
        at: new Date().toISOString(),
        message: answer,
      }).catch((error: Error) => onProblem(`${file}: could not write the reply: ${error.message}`));
    } else if (read.reason !== 'missing') {
      onProblem(`${file}: ignored: ${read.message}`);
    }
    await fs.rm(file, { force: true });
  };
  const track = (file: string) => {
    const task = consume(file).finally(() => pending.delete(task));
    pending.add(task);
  };

  const ready = (async () => {
    await fs.mkdir(dir, { recursive: true });
    watcher = watch(dir, {
      depth: 0,
      ignoreInitial: false,
      usePolling: options.usePolling ?? false,
      interval: 200,
      ignored: (p: string) => path.basename(p).startsWith(TEMP_PREFIX),
    });
    watcher.on('add', (p) => track(p));
    watcher.on('change', (p) => track(p));
    watcher.on('error', (error) => onProblem(`${dir}: watch error (${(error as Error).message})`));
    await new Promise<void>((resolve) => watcher?.once('ready', () => resolve()));
  })();

  return {
    ready,
    close: async () => {
      closed = true;
      await ready.catch(() => {});
      await watcher?.close();
      await Promise.allSettled([...pending]);
    },
  };
}

/** `trading-workers restart N`: requestCommand, with `delivered` for the exit code. */
export async function sendCommandFile(
  resultsDir: string,
  command: SupervisorCommand,
  options: { timeoutMs?: number } = {},
): Promise<{ delivered: boolean; message: string }> {
  const { consumed, message } = await requestCommand(resultsDir, command, options);
  return { delivered: consumed, message };
}
