import os from 'node:os';
import path from 'node:path';

/** A bind mount of a host folder at the same absolute path inside the container. */
export interface FolderMount {
  path: string;
  readOnly: boolean;
}

/** What every worker container of a run gets, whichever engine runs it (Compose or Swarm). */
export interface ContainerSpec {
  image: string;
  /** uid:gid the worker runs as (never root unless TW_UID=0 says so). */
  user: { uid: number; gid: number };
  mounts: FolderMount[];
  /** False when the workers read only mounted files (no Yahoo download): no network at all. */
  network: boolean;
  limits: ContainerLimits;
  labels: Record<string, string>;
}

export interface ContainerLimits {
  /** Memory limit in Docker's notation (`2g`, `512m`). */
  memory: string;
  pids: number;
  /** Size of the /tmp tmpfs (the root file system is read-only). */
  tmpfsSize: string;
}

/** The image Compose and Swarm run unless TW_IMAGE says otherwise (`npm run docker:image` builds it). */
export const DEFAULT_IMAGE = 'ai-trading-workers:latest';
/** The image's own unprivileged user (Dockerfile `USER 1000:1000`, `node` in the official images). */
export const IMAGE_USER = { uid: 1000, gid: 1000 } as const;

/**
 * Defaults for one worker. Its last status reported 99–114 MB RSS in the README's Docker and Swarm
 * runs (js engine, WASM backend, a year of hourly candles); 1 GB leaves room for the tfjs engine and
 * tfjs-node. Node runs about a dozen threads; 256 pids is far above that, far below a fork bomb.
 */
export const DEFAULT_LIMITS: ContainerLimits = { memory: '1g', pids: 256, tmpfsSize: '64m' };

const SIZE = /^\d+(\.\d+)?[bkmg]?$/i;

/** Limits from TW_MEMORY, TW_PIDS, TW_TMPFS_SIZE; a bad value is an error naming the variable. */
export function containerLimits(env: NodeJS.ProcessEnv): ContainerLimits {
  const memory = env.TW_MEMORY?.trim() || DEFAULT_LIMITS.memory;
  if (!SIZE.test(memory)) {
    throw new Error(`TW_MEMORY must be a size such as 2g or 512m, got '${memory}'`);
  }
  const tmpfsSize = env.TW_TMPFS_SIZE?.trim() || DEFAULT_LIMITS.tmpfsSize;
  if (!SIZE.test(tmpfsSize)) {
    throw new Error(`TW_TMPFS_SIZE must be a size such as 64m, got '${tmpfsSize}'`);
  }
  const pidsText = env.TW_PIDS?.trim() || String(DEFAULT_LIMITS.pids);
  const pids = Number(pidsText);
  // Fewer than 32 and node cannot start its own threads (libuv pool, V8 platform, tfjs).
  if (!Number.isInteger(pids) || pids < 32) {
    throw new Error(`TW_PIDS must be a whole number of at least 32, got '${pidsText}'`);
  }
  return { memory, pids, tmpfsSize };
}

/**
 * The run's folders as mounts, each once: a folder named twice (`--data` equal to `--data-dir`,
 * `--models` equal to `--results`) is one mount, read-write if any use writes it. Compose and the
 * engine reject two mounts at one path ("Duplicate mount points").
 */
export function runMounts(folders: {
  resultsDir: string;
  modelsDir: string;
  cacheDir: string;
  sourceDataDir: string | null;
}): FolderMount[] {
  const wanted: FolderMount[] = [
    { path: folders.resultsDir, readOnly: false },
    { path: folders.modelsDir, readOnly: false },
    { path: folders.cacheDir, readOnly: false },
    ...(folders.sourceDataDir ? [{ path: folders.sourceDataDir, readOnly: true }] : []),
  ];
  const byPath = new Map<string, FolderMount>();
  for (const mount of wanted) {
    const key = path.resolve(mount.path);
    const seen = byPath.get(key);
    byPath.set(key, { path: key, readOnly: (seen?.readOnly ?? true) && mount.readOnly });
  }
  return [...byPath.values()];
}

/** `host:pid` of this supervisor, the label that tells whether a container's supervisor is gone. */
export function supervisorIdentity(pid: number = process.pid, host: string = os.hostname()): string {
  return `${host}:${pid}`;
}

/** Parses `host:pid`; null when the label is not one. */
export function parseSupervisorIdentity(label: string | undefined): { host: string; pid: number } | null {
  const m = /^(.*):(\d+)$/.exec(label ?? '');
  return m ? { host: m[1]!, pid: Number(m[2]) } : null;
}

/** The labels that tie a container (or service) to its run, folder and supervisor. */
export function runLabels(runId: string, resultsDir: string, supervisor: string): Record<string, string> {
  return {
    'trading-workers.project': 'ai-trading-workers',
    'trading-workers.run': runId,
    'trading-workers.results': path.resolve(resultsDir),
    'trading-workers.supervisor': supervisor,
  };
}

/** Label of the worker id on each container or service. */
export const WORKER_LABEL = 'trading-workers.worker';
/** Label every run's containers carry with their results folder: what stale clean-up filters on. */
export const RESULTS_LABEL = 'trading-workers.results';
export const SUPERVISOR_LABEL = 'trading-workers.supervisor';

/**
 * Who the worker runs as: TW_UID/TW_GID when set; else the owner of the results folder (the user
 * who runs the supervisor, so the files stay theirs); and when that is root, the image's own
 * unprivileged user, with `handOver` true: the run's writable folders must be given to it.
 */
export function containerUser(
  env: NodeJS.ProcessEnv,
  resultsOwner: { uid: number; gid: number },
): { uid: number; gid: number; handOver: boolean } {
  const id = (name: string, fallback: number) => {
    const text = env[name]?.trim();
    if (!text) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a numeric id, got '${text}'`);
    return value;
  };
  if (env.TW_UID?.trim()) {
    const uid = id('TW_UID', IMAGE_USER.uid);
    return { uid, gid: id('TW_GID', uid === 0 ? 0 : IMAGE_USER.gid), handOver: false };
  }
  if (resultsOwner.uid !== 0) return { ...resultsOwner, handOver: false };
  return { ...IMAGE_USER, handOver: true };
}
