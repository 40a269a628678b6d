import { constants, promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { DataSettings } from '../../shared/index.js';
import { preflightContainerRuntime } from '../runtime/create-runtime.js';
import { checkComposeServices, defaultComposeFile } from '../runtime/docker-runtime.js';

/** What a path is on disk; null when nothing is there. */
export type PathKind = 'dir' | 'file' | 'other' | null;

/**
 * The preflight's view of the world, injected so its checks run on fakes in tests. Each answer is a
 * fact or, for the checks, null when all is well and else one line saying what is wrong.
 */
export interface PreflightProbes {
  kind(target: string): Promise<PathKind>;
  /** The names in a folder; null when it cannot be read. */
  list(dir: string): Promise<string[] | null>;
  /** Null when this process may create files in `dir`, else why not. */
  writable(dir: string): Promise<string | null>;
  /** Null when the runtime can start these workers, else why not (Compose missing, engine down…). */
  runtime(kind: string, workerIds: readonly number[]): Promise<string | null>;
  /**
   * Null when candles can be had for every pair (cache covers the plan, or Yahoo answers one request),
   * else why not. Wired by the command from worker/market-data (supervisor/ never imports worker/).
   */
  candles(pairs: readonly string[], data: DataSettings): Promise<string | null>;
}

/**
 * How each runtime checks it can start workers, by `--runtime` name; a runtime without an entry is
 * assumed available.
 */
export const RUNTIME_CHECKS: Record<string, (workerIds: readonly number[]) => Promise<string | null>> = {
  local: async () => null,
  docker: (workerIds) => checkContainerRuntime('docker', workerIds),
  swarm: (workerIds) => checkContainerRuntime('swarm', workerIds),
};

/**
 * A `worker-N` service in the compose file per planned worker (docker), an engine that answers (asked
 * directly first, so a stopped engine is named as such), the worker image, and a swarm manager (swarm).
 */
export async function checkContainerRuntime(
  kind: 'docker' | 'swarm',
  workerIds: readonly number[],
): Promise<string | null> {
  // The compose file's services first: a plan it cannot hold is wrong whether or not an engine runs.
  if (kind === 'docker') {
    try {
      checkComposeServices(defaultComposeFile(), workerIds);
    } catch (error) {
      return (error as Error).message;
    }
  }
  const why = await pingDockerEngine();
  if (why !== null) {
    return `--runtime ${kind}: the Docker engine does not answer (${why}); start it (or set DOCKER_HOST), or use --runtime local`;
  }
  try {
    await preflightContainerRuntime(kind, workerIds);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * Asks the engine itself (`GET /_ping` on DOCKER_HOST or /var/run/docker.sock), so neither compose v1
 * nor v2 nor a docker CLI is needed to know. Null when it answers, else why not.
 */
export function pingDockerEngine(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 10_000,
): Promise<string | null> {
  const host = env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  let target: http.RequestOptions;
  if (host.startsWith('unix://')) target = { socketPath: host.slice('unix://'.length) };
  else if (host.startsWith('tcp://')) {
    const url = new URL(`http://${host.slice('tcp://'.length)}`);
    target = { host: url.hostname, port: url.port || 2375 };
  } else return Promise.resolve(null); // ssh:// and others: compose will say if it cannot reach it
  return new Promise((resolve) => {
    const req = http.get({ ...target, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? null : `${host} answered HTTP ${res.statusCode}`);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${host} within ${timeoutMs / 1000} s`)));
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code ? `${error.code} on ${host}` : error.message),
    );
  });
}

/** Probes on the real file system and Docker; `candles` comes from the caller. */
export function systemProbes(candles: PreflightProbes['candles']): PreflightProbes {
  return {
    async kind(target) {
      try {
        const stat = await fs.stat(target);
        return stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
      } catch {
        return null;
      }
    },
    list: (dir) => fs.readdir(dir).catch(() => null),
    async writable(dir) {
      try {
        await fs.access(dir, constants.W_OK | constants.X_OK);
        return null;
      } catch (error) {
        return `not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
      }
    },
    runtime: (kind, workerIds) => RUNTIME_CHECKS[kind]?.(workerIds) ?? Promise.resolve(null),
    candles,
  };
}

/** The nearest existing folder at or above `target` (where a missing folder would be created). */
export async function nearestExisting(
  probes: Pick<PreflightProbes, 'kind'>,
  target: string,
): Promise<{ at: string; kind: PathKind }> {
  let at = path.resolve(target);
  for (;;) {
    const kind = await probes.kind(at);
    if (kind !== null || path.dirname(at) === at) return { at, kind };
    at = path.dirname(at);
  }
}
