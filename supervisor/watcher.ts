import { promises as fs, type FSWatcher as NodeWatcher, statSync, watch as watchFolder } from 'node:fs';
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';
import { TEMP_PREFIX, TolerantJsonFile } from '../shared/index.js';
import { contractFile, type FollowedFile, scanOrder } from './contract-files.js';
import type { SupervisorEvent } from './events.js';

export interface WatcherOptions {
  /** Also read aggregated_results.json, training_report.json, supervisor_status.json (attach mode). */
  supervisorFiles?: boolean;
  /** Polling for network or VM mounts where native events do not arrive. */
  usePolling?: boolean;
  pollIntervalMs?: number;
}

/** A watch on results/ that turns file changes into SupervisorEvents. */
export interface ResultsWatcher {
  /** Resolves after the initial scan was emitted and the watch is armed. */
  readonly ready: Promise<void>;
  /**
   * Rereads every known file (only those changed since their last read emit events); `wholeResults`
   * reads each worker's whole results file again rather than only its new job files.
   */
  rescan(options?: { wholeResults?: boolean }): Promise<void>;
  close(): Promise<void>;
}

const RECHECK_MS = 120;

type Reader = {
  tolerant: FollowedFile;
  toEvent: (value: never) => SupervisorEvent;
  /** Read synchronously: a small file rewritten about once a second, on a local folder. */
  sync: boolean;
};

/** Watches results/ (the folder, not globs) and emits typed events for the contract's files. */
export function watchResults(
  resultsDir: string,
  onEvent: (event: SupervisorEvent) => void,
  options: WatcherOptions = {},
): ResultsWatcher {
  const readers = new Map<string, Reader>();
  // One read at a time per file, and one more if it changed meanwhile: events keep file order.
  const inFlight = new Map<string, Promise<void>>();
  const dirty = new Set<string>();
  const lastSeen = new Map<string, string>();
  let closed = false;

  const problem = (message: string) => {
    if (!closed) onEvent({ type: 'file-problem', message });
  };

  const readerFor = (name: string): Reader | null => {
    const existing = readers.get(name);
    if (existing) return existing;
    const contract = contractFile(resultsDir, name, Boolean(options.supervisorFiles));
    if (!contract) return null;
    const reader: Reader = {
      tolerant: contract.follow?.(problem) ?? new TolerantJsonFile(contract.file, contract.schema, problem),
      toEvent: contract.toEvent,
      // Status files are ~10 reads a second in a default run: a synchronous stat and read of a
      // page-cached 1 KB file is cheaper than the thread pool's round trips (issue 12). Polling
      // mode is for network mounts, where a read may block, so it stays asynchronous.
      sync: Boolean(contract.frequent) && !options.usePolling,
    };
    readers.set(name, reader);
    return reader;
  };

  /** Reads the file when its stamp changed; true when it had changed. */
  const readOnce = async (name: string, reader: Reader): Promise<boolean> => {
    let stamp: string;
    try {
      const stat = reader.sync ? statSync(reader.tolerant.file) : await fs.stat(reader.tolerant.file);
      stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
    } catch {
      return false; // gone: keep the last value, nothing new to say
    }
    if (lastSeen.get(name) === stamp) return false;
    const before = reader.tolerant.value;
    const value =
      reader.sync && reader.tolerant.readSync ? reader.tolerant.readSync() : await reader.tolerant.read();
    lastSeen.set(name, stamp);
    if (value !== undefined && value !== before && !closed) {
      try {
        onEvent(reader.toEvent(value as never));
      } catch (error) {
        problem(`${reader.tolerant.file}: handling failed: ${(error as Error).message}`);
      }
    }
    return true;
  };

  // chokidar throttles change events per file and can drop the last of a burst of renames
  // (measured: 5 atomic writes in a row → seq 5 never reported), so in polling mode each read is
  // followed by one cheap check a little later; the stat stamp makes it a no-op when nothing changed.
  // The OS's own folder watch reports every rename (a change during a read marks the file dirty), so
  // native mode skips it: a stat after each of ~10 status writes a second was CPU for nothing, and the
  // run's rescan still covers an event lost to a full inotify queue (issue 12).
  const rechecks = new Map<string, NodeJS.Timeout>();
  const scheduleRecheck = (name: string) => {
    if (!options.usePolling || closed || rechecks.has(name)) return;
    const timer = setTimeout(() => {
      rechecks.delete(name);
      void handle(name);
    }, RECHECK_MS);
    rechecks.set(name, timer);
  };

  const handle = (name: string): Promise<void> => {
    if (closed || name.startsWith(TEMP_PREFIX)) return Promise.resolve();
    const reader = readerFor(name);
    if (!reader) return Promise.resolve();
    const running = inFlight.get(name);
    if (running) {
      dirty.add(name);
      return running;
    }
    const task = (async () => {
      let changed = false;
      do {
        dirty.delete(name);
        if (await readOnce(name, reader)) changed = true;
      } while (dirty.has(name) && !closed);
      inFlight.delete(name);
      if (changed) scheduleRecheck(name);
    })();
    inFlight.set(name, task);
    return task;
  };

  const scan = async () => {
    let names: string[] = [];
    try {
      names = await fs.readdir(resultsDir);
    } catch (error) {
      problem(`${resultsDir}: cannot list the folder (${(error as Error).message})`);
    }
    for (const name of scanOrder(names)) await handle(name);
  };

  let watcher: FSWatcher | null = null;
  let native: NodeWatcher | null = null;
  const ready = (async () => {
    await fs.mkdir(resultsDir, { recursive: true });
    if (!options.usePolling) {
      // Native events come from the OS's own folder watch (inotify, FSEvents, ReadDirectoryChangesW),
      // not chokidar: on every change in a folder chokidar lists it again with an lstat per entry (up to
      // twice a second), which was most of the supervisor's own CPU in a run (issue 12: 0.9 s of lstat in
      // 45 s with 13 files; a 256-worker run has 770). The name the OS reports is all this needs: each
      // read checks the file's stamp itself, the recheck and the run's rescan cover a dropped event.
      native = watchFolder(resultsDir, { persistent: true }, (_event, name) => {
        if (name) void handle(String(name));
        else void scan(); // some platforms do not say which file changed
      });
      native.on('error', (error) => problem(`${resultsDir}: watch error (${error.message})`));
      await scan();
      return;
    }
    // Polling (--watch-poll: network and VM mounts, where native events do not arrive) stays chokidar's.
    watcher = watch(resultsDir, {
      depth: 0,
      ignoreInitial: true,
      usePolling: true,
      interval: options.pollIntervalMs ?? 250,
      ignored: (p: string) => path.basename(p).startsWith(TEMP_PREFIX),
    });
    watcher.on('add', (p) => void handle(path.basename(p)));
    watcher.on('change', (p) => void handle(path.basename(p)));
    watcher.on('error', (error) => problem(`${resultsDir}: watch error (${(error as Error).message})`));
    await new Promise<void>((resolve) => watcher?.once('ready', () => resolve()));
    await scan();
  })();

  return {
    ready,
    rescan: async ({ wholeResults = false } = {}) => {
      await ready;
      if (wholeResults) {
        for (const [name, reader] of readers) {
          if (!reader.tolerant.refresh) continue;
          reader.tolerant.refresh();
          lastSeen.delete(name);
        }
      }
      await scan();
    },
    close: async () => {
      closed = true;
      for (const timer of rechecks.values()) clearTimeout(timer);
      rechecks.clear();
      await ready.catch(() => {});
      native?.close();
      await watcher?.close();
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}
