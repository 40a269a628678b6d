import { mkdirSync, statSync } from 'node:fs';
import { execa } from 'execa';
import {
  type ContainerSpec,
  containerLimits,
  containerUser,
  DEFAULT_IMAGE,
  type FolderMount,
  runLabels,
  runMounts,
  supervisorIdentity,
} from './container-spec.js';

/** What a container runtime (Compose or Swarm) is told about the run. */
export interface ContainerRunOptions {
  runId: string;
  resultsDir: string;
  modelsDir: string;
  /** The candle cache (`--data`). */
  dataDir: string;
  /** With `--data-dir`: the folder of source CSVs, mounted read-only. */
  sourceDataDir?: string | null;
  /** The workers download candles (source yahoo): they need a network; otherwise they get none. */
  network: boolean;
  /** How often the engine is polled to notice exits. */
  pollMs?: number;
  defaultGraceMs?: number;
  /** Environment of the docker client (PATH, DOCKER_HOST, TW_*); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The run's container spec from its options and the TW_* variables (image, limits, user), with the
 * folders created and, when root owns them, handed to the containers' user. Throws a one-line error
 * naming a bad variable. `notice` says what was handed over, for the workers' logs.
 */
export async function prepareContainerSpec(
  options: ContainerRunOptions,
  env: NodeJS.ProcessEnv,
): Promise<{ spec: ContainerSpec; notice: string | null }> {
  const limits = containerLimits(env);
  const mounts = runMounts({
    resultsDir: options.resultsDir,
    modelsDir: options.modelsDir,
    cacheDir: options.dataDir,
    sourceDataDir: options.sourceDataDir ?? null,
  });
  const user = await prepareContainerUser(env, options.resultsDir, mounts);
  return {
    spec: {
      image: env.TW_IMAGE?.trim() || DEFAULT_IMAGE,
      user: { uid: user.uid, gid: user.gid },
      mounts,
      network: options.network,
      limits,
      labels: runLabels(options.runId, options.resultsDir, supervisorIdentity()),
    },
    notice: user.notice,
  };
}

/**
 * Who the run's containers run as (see containerUser), after making the run's writable folders
 * theirs when the folders belong to root: a root-owned results folder is not writable by the
 * image's unprivileged user, and the worker must never run as root to get around that.
 * Returns the user and, when folders were handed over, a sentence saying so.
 */
async function prepareContainerUser(
  env: NodeJS.ProcessEnv,
  resultsDir: string,
  mounts: readonly FolderMount[],
): Promise<{ uid: number; gid: number; notice: string | null }> {
  for (const mount of mounts) if (!mount.readOnly) mkdirSync(mount.path, { recursive: true });
  const owner = statSync(resultsDir);
  // On Windows, stat() reports uid 0 for everything and Docker Desktop maps file ownership itself.
  const posix = process.platform !== 'win32';
  const user = containerUser(env, posix ? { uid: owner.uid, gid: owner.gid } : { uid: 1000, gid: 1000 });
  if (!user.handOver || !posix) return { uid: user.uid, gid: user.gid, notice: null };
  const writable = mounts.filter((m) => !m.readOnly).map((m) => m.path);
  const result = await execa('chown', ['-R', `${user.uid}:${user.gid}`, ...writable], {
    reject: false,
    stdin: 'ignore',
  });
  if (result.exitCode !== 0) {
    throw new Error(
      `the run's folders belong to root and could not be handed to the containers' user ${user.uid}:${user.gid} ` +
        `(${String(result.stderr).trim()}); set TW_UID/TW_GID to a user that can write ${writable.join(', ')}`,
    );
  }
  return {
    uid: user.uid,
    gid: user.gid,
    notice: `containers run as ${user.uid}:${user.gid} (the image's user, not root); handed ${writable.join(', ')} to it`,
  };
}
