import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { writeFileAtomic } from '../../shared/index.js';
import { type ContainerObservation, createContainerRuntime } from './container-runtime.js';
import { type ContainerSpec, WORKER_LABEL } from './container-spec.js';
import { dockerRun } from './docker-cli.js';
import { type ContainerRunOptions, prepareContainerSpec } from './prepare-container-spec.js';
import { removeStaleContainers } from './stale-containers.js';
import type { Runtime } from './types.js';

/** `docker compose` (v2 plugin) or `docker-compose` (v1), as found on PATH. */
export interface ComposeCommand {
  file: string;
  args: string[];
  version: 1 | 2;
}

export interface DockerRuntimeOptions extends ContainerRunOptions {
  /** The workers of the plan: each gets its service in the run's compose file. */
  workerIds: number[];
  composeFile?: string;
  projectName?: string;
  /** Skips detection (tests, or a user's choice). */
  compose?: ComposeCommand;
}

/** Finds Docker Compose: `docker compose version`, else `docker-compose version`. */
export async function detectCompose(env: NodeJS.ProcessEnv = process.env): Promise<ComposeCommand> {
  const v2 = await execa('docker', ['compose', 'version'], { env, reject: false, stdin: 'ignore' });
  if (v2.exitCode === 0) return { file: 'docker', args: ['compose'], version: 2 };
  const v1 = await execa('docker-compose', ['version'], { env, reject: false, stdin: 'ignore' });
  if (v1.exitCode === 0) return { file: 'docker-compose', args: [], version: 1 };
  throw new Error(
    'Docker Compose not found: neither `docker compose version` nor `docker-compose version` works. ' +
      'Install the compose plugin (or docker-compose), or use --runtime local.',
  );
}

/** docker-compose-workers.yml at the repository root, from sources or from dist/. */
export function defaultComposeFile(moduleUrl: string = import.meta.url): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'docker-compose-workers.yml');
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve('docker-compose-workers.yml');
}

/** A Compose project (and Swarm service prefix) per results folder, so two runs on one host share nothing. */
export function composeProjectName(resultsDir: string): string {
  let hash = 0;
  for (const ch of path.resolve(resultsDir)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `trading-workers-${hash.toString(36)}`;
}

const service = (workerId: number) => `worker-${workerId}`;

/** The ids of the `worker-N` services a compose file defines (top-level keys under `services:`). */
export function composeWorkerServices(text: string): number[] {
  return [...text.matchAll(/^ {2}worker-(\d+):/gm)].map((m) => Number(m[1])).sort((a, b) => a - b);
}

/**
 * Fails before anything starts when the compose file has no service for one of the planned
 * workers (it defines worker-1 … worker-4; `--workers 6` needs two more).
 */
export function checkComposeServices(composeFile: string, workerIds: readonly number[]): void {
  let text: string;
  try {
    text = readFileSync(composeFile, 'utf8');
  } catch (error) {
    throw new Error(`--runtime docker: cannot read ${composeFile}: ${(error as Error).message}`);
  }
  const defined = new Set(composeWorkerServices(text));
  const missing = workerIds.filter((id) => !defined.has(id));
  if (missing.length > 0) {
    throw new Error(
      `--runtime docker: ${composeFile} defines ${[...defined].map(service).join(', ') || 'no worker services'}, ` +
        `but the plan needs ${missing.map(service).join(', ')}; add those services or pass --workers ${defined.size}`,
    );
  }
}

/** The run's own compose file beside the results: the mounts and limits only the run knows. */
export const runComposeFile = (resultsDir: string) => path.join(resultsDir, 'docker-compose.run.yml');

/**
 * The run's compose file, merged over docker-compose-workers.yml (which takes the image, user,
 * labels and memory from TW_* variables): each folder mounted once at its own path, no network
 * when the workers download nothing, the pids limit (compose v1 reads a limit interpolated from a
 * variable as a string and rejects it), the worker label.
 */
export function runComposeText(spec: ContainerSpec, workerIds: readonly number[], runId: string): string {
  const services = Object.fromEntries(
    workerIds.map((id) => [
      service(id),
      {
        volumes: spec.mounts.map((m) => `${m.path}:${m.path}:${m.readOnly ? 'ro' : 'rw'}`),
        ...(spec.network ? {} : { network_mode: 'none' }),
        pids_limit: spec.limits.pids,
        labels: { [WORKER_LABEL]: String(id) },
      },
    ]),
  );
  return `# Written by the supervisor for run ${runId}; merged over docker-compose-workers.yml.\n${stringify({ services })}`;
}

interface InspectedContainer {
  Id: string;
  Name: string;
  Config?: { Labels?: Record<string, string> };
  State?: { Status?: string; ExitCode?: number; OOMKilled?: boolean; Error?: string };
}

/** One container of `docker inspect` as the runtime sees it. */
export function observeContainer(c: InspectedContainer, memory: string): ContainerObservation {
  const status = c.State?.Status ?? 'unknown';
  const oom = c.State?.OOMKilled ? `killed for memory (limit ${memory}, TW_MEMORY)` : null;
  return {
    name: c.Name.replace(/^\//, ''),
    state: status,
    running: status === 'running' || status === 'created' || status === 'restarting',
    exitCode: typeof c.State?.ExitCode === 'number' ? c.State.ExitCode : null,
    detail: oom ?? (c.State?.Error ? c.State.Error : null),
  };
}

/** Drives the workers as Docker Compose services: up, stop, logs and state through the engine, by label. */
export function createDockerRuntime(options: DockerRuntimeOptions): Runtime {
  const composeFile = options.composeFile ?? defaultComposeFile();
  const project = options.projectName ?? composeProjectName(options.resultsDir);
  const baseEnv = options.env ?? process.env;
  const overrideFile = runComposeFile(options.resultsDir);
  let spec: ContainerSpec | null = null;
  let env: NodeJS.ProcessEnv = baseEnv;
  let composePromise: Promise<ComposeCommand> | null = options.compose
    ? Promise.resolve(options.compose)
    : null;
  const compose = () => {
    composePromise ??= detectCompose(env);
    return composePromise;
  };
  const docker = (args: string[]) => dockerRun('docker', args, env);
  const projectFilter = ['--filter', `label=com.docker.compose.project=${project}`];

  const containerOf = async (workerId: number): Promise<string | null> => {
    const ids = (
      await docker([
        'ps',
        '-aq',
        ...projectFilter,
        '--filter',
        `label=com.docker.compose.service=${service(workerId)}`,
      ])
    ).trim();
    return ids.split('\n')[0] || null;
  };

  return createContainerRuntime(
    {
      kind: 'docker',
      async prepare() {
        const prepared = await prepareContainerSpec(options, baseEnv);
        spec = prepared.spec;
        env = {
          ...baseEnv,
          TW_IMAGE: spec.image,
          TW_RESULTS_DIR: path.resolve(options.resultsDir),
          TW_UID: String(spec.user.uid),
          TW_GID: String(spec.user.gid),
          TW_RUN_ID: options.runId,
          TW_SUPERVISOR: spec.labels['trading-workers.supervisor'],
          TW_MEMORY: spec.limits.memory,
          TW_TMPFS_SIZE: spec.limits.tmpfsSize,
        };
        await removeStaleContainers('docker', env, path.resolve(options.resultsDir), { services: false });
        await writeFileAtomic(overrideFile, runComposeText(spec, options.workerIds, options.runId));
        return prepared.notice;
      },
      async launch(workerId) {
        const c = await compose();
        await dockerRun(
          c.file,
          [
            ...c.args,
            '-f',
            composeFile,
            '-f',
            overrideFile,
            '-p',
            project,
            'up',
            '-d',
            '--no-deps',
            '--no-build',
            service(workerId),
          ],
          env,
          { label: `${c.file} ${[...c.args].join(' ')} up ${service(workerId)}`.replace(/ +/g, ' ') },
        );
      },
      async halt(workerId, graceMs) {
        const id = await containerOf(workerId);
        if (id) await docker(['stop', '-t', String(Math.max(0, Math.ceil(graceMs / 1000))), id]);
      },
      async observe(workerIds) {
        const ids = (await docker(['ps', '-aq', ...projectFilter])).split('\n').filter(Boolean);
        const seen = new Map<number, ContainerObservation>();
        if (ids.length === 0) return seen;
        const inspected = JSON.parse(await docker(['inspect', ...ids])) as InspectedContainer[];
        for (const c of inspected) {
          const id = Number(c.Config?.Labels?.[WORKER_LABEL]);
          if (workerIds.includes(id)) seen.set(id, observeContainer(c, spec?.limits.memory ?? '?'));
        }
        return seen;
      },
      async logCommand(workerId, since) {
        const id = await containerOf(workerId);
        return id ? { file: 'docker', args: ['logs', '-f', '--since', since, id] } : null;
      },
      async removeAll() {
        const ids = (await docker(['ps', '-aq', ...projectFilter])).split('\n').filter(Boolean);
        if (ids.length > 0) await docker(['rm', '-f', ...ids]);
        // Compose made a network for the project when the workers needed one.
        await docker(['network', 'rm', `${project}_default`]).catch(() => {});
      },
    },
    {
      resultsDir: options.resultsDir,
      env: baseEnv,
      pollMs: options.pollMs,
      defaultGraceMs: options.defaultGraceMs,
    },
  );
}
