import { constants, promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { DataSettings } from '../../shared/index.js';
import { checkComposeServices, defaultComposeFile, detectCompose } from '../runtime/docker-runtime.js';

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
 * How each runtime checks it can start workers, by `--runtime` name. Another runtime (swarm) adds its
 * entry here; a runtime without one is assumed available.
 */
export const RUNTIME_CHECKS: Record<string, (workerIds: readonly number[]) => Promise<string | null>> = {
  local: async () => null,
  docker: checkDockerAvailable,
};

/** Compose present, a `worker-N` service for each planned worker, and an engine that answers. */
export async function checkDockerAvailable(workerIds: readonly number[]): Promise<string | null> {
  try {
    checkComposeServices(defaultComposeFile(), workerIds);
    await detectCompose();
    const why = await pingDockerEngine();
    if (why === null) return null;
    return `--runtime docker: the Docker engine does not answer (${why}); start it (or set DOCKER_HOST), or use --runtime local`;
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
