import { execa } from 'execa';
import type { DataSettings, RuntimeKind } from '../../shared/index.js';
import { DEFAULT_IMAGE } from './container-spec.js';
import { causeLine } from './docker-cli.js';
import {
  type ComposeCommand,
  checkComposeServices,
  createDockerRuntime,
  defaultComposeFile,
  detectCompose,
} from './docker-runtime.js';
import { createLocalRuntime } from './local-runtime.js';
import { createSwarmRuntime } from './swarm-runtime.js';
import type { Runtime, WorkerCommand } from './types.js';

/** What the container runtimes take from the caller (tests: a private engine, a fast poll). */
export interface ContainerDeps {
  compose?: ComposeCommand;
  pollMs?: number;
  /** Environment of the docker client (DOCKER_HOST, TW_*); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

async function dockerSays(args: string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; out: string }> {
  const result = await execa('docker', args, { env, reject: false, stdin: 'ignore', timeout: 60_000 });
  return { ok: result.exitCode === 0, out: `${String(result.stdout)}\n${String(result.stderr)}`.trim() };
}

/**
 * Checks, before anything is planned or written, that the container runtime can run here: an
 * engine answers, Compose is installed and defines a service per worker (docker), this node
 * manages a swarm (swarm), and the worker image is on the engine. Each problem is one line naming
 * what to do. Returns what it found (the Compose command) so it is not looked up twice.
 */
export async function preflightContainerRuntime(
  kind: Exclude<RuntimeKind, 'local'>,
  workerIds: readonly number[],
  deps: ContainerDeps = {},
): Promise<{ compose?: ComposeCommand }> {
  const env = deps.env ?? process.env;
  const flag = `--runtime ${kind}`;
  if (kind === 'docker') checkComposeServices(defaultComposeFile(), workerIds);
  const engine = await dockerSays(['version', '--format', '{{.Server.Version}}'], env);
  if (!engine.ok) {
    const where = env.DOCKER_HOST ? `DOCKER_HOST=${env.DOCKER_HOST}` : 'the default socket';
    throw new Error(`${flag}: no Docker engine answers at ${where}: ${causeLine(engine.out)}`);
  }
  const image = env.TW_IMAGE?.trim() || DEFAULT_IMAGE;
  if (!(await dockerSays(['image', 'inspect', '--format', '{{.Id}}', image], env)).ok) {
    throw new Error(
      `${flag}: the engine has no image ${image}; build it with \`npm run docker:image\` (or set TW_IMAGE)`,
    );
  }
  if (kind === 'swarm') {
    const swarm = await dockerSays(
      ['info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'],
      env,
    );
    if (swarm.out.split('\n')[0] !== 'active true') {
      throw new Error(
        `${flag}: this engine is not a swarm manager (swarm: ${swarm.out.split('\n')[0] || 'unknown'}); ` +
          'run `docker swarm init` here, or run the supervisor on a manager node',
      );
    }
    return {};
  }
  return { compose: deps.compose ?? (await detectCompose(env)) };
}

export interface CreateRuntimeOptions {
  kind: RuntimeKind;
  runId: string;
  resultsDir: string;
  modelsDir: string;
  data: DataSettings;
  workerIds: number[];
  graceMs: number;
  /** Local runtime: the worker command and extra environment (tests: fake workers). */
  workerEntry?: WorkerCommand;
  workerEnv?: Record<string, string>;
  docker?: ContainerDeps;
}

/** The runtime the run asked for: local processes, Compose services or Swarm services. */
export function createRuntime(options: CreateRuntimeOptions): Runtime {
  if (options.kind === 'local') {
    return createLocalRuntime({
      resultsDir: options.resultsDir,
      workerEntry: options.workerEntry,
      env: options.workerEnv,
      defaultGraceMs: options.graceMs,
    });
  }
  const container = {
    runId: options.runId,
    resultsDir: options.resultsDir,
    modelsDir: options.modelsDir,
    dataDir: options.data.cacheDir,
    sourceDataDir: options.data.dataDir,
    // Only a download from Yahoo needs a network; every other source reads mounted files.
    network: options.data.source === 'yahoo',
    pollMs: options.docker?.pollMs,
    env: options.docker?.env,
    defaultGraceMs: options.graceMs,
  };
  if (options.kind === 'swarm') return createSwarmRuntime(container);
  return createDockerRuntime({
    ...container,
    workerIds: options.workerIds,
    compose: options.docker?.compose,
  });
}
