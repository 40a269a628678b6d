// Builds the worker image either way: the normal Dockerfile (node:20-slim, npm ci, build) or
// Dockerfile.prebuilt from this machine's build. Shared by `npm run docker:image` and the tests.
import path from 'node:path';
import { execa } from 'execa';
import { ensureHostBaseImage } from './base-image.js';
import { type DockerClient, docker, imageExists } from './docker-client.js';
import { distIsStale, stagePrebuiltContext } from './prebuilt-context.js';

/** The image the Compose file and the runtimes use unless TW_IMAGE says otherwise. */
export const DEFAULT_WORKER_IMAGE = 'ai-trading-workers:latest';
/** The official base the normal path builds on. */
export const NETWORK_BASE_IMAGE = 'node:20-slim';

export type ImagePath = 'network' | 'host';

export interface BuildWorkerImageOptions {
  root: string;
  docker: DockerClient;
  /** `network`: the normal Dockerfile; `host`: Dockerfile.prebuilt; `auto`: network when the base can be had. */
  from: ImagePath | 'auto';
  /** Tags to give the result (the first is what callers use). */
  tags: string[];
  /** Base image for the host path; default: node:20-slim if the engine has it, else one made from the host's node. */
  baseImage?: string;
  log?: (line: string) => void;
}

export interface BuiltWorkerImage {
  /** A tag naming exactly this content (`trading-workers:<hash>` on the host path). */
  image: string;
  from: ImagePath;
  /** False when an image of the same content hash was already there (host path). */
  built: boolean;
  baseImage: string;
}

// The first line that says what went wrong, for one-line reports.
const firstLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /error|denied|fail|not found|unable/i.test(l)) ??
  text.trim().split('\n').at(-1) ??
  '';

/**
 * A client that builds with BuildKit: one with the buildx plugin, or one older than 23 (which has
 * BuildKit built in, as Debian's docker.io 20.10). The legacy builder commits a container per step,
 * and with the vfs driver each commit copies the whole image: the prebuilt image took 4 min 14 s
 * with it and 40 s with BuildKit (same context, same loaded machine).
 */
async function buildKitClient(client: DockerClient): Promise<DockerClient | null> {
  const env = { ...client.env, DOCKER_BUILDKIT: '1' };
  const buildx = await execa(client.file, ['buildx', 'version'], { env, reject: false, stdin: 'ignore' });
  if (buildx.exitCode === 0) return { file: client.file, env };
  const which = await execa('sh', ['-c', 'which -a docker'], { env: client.env, reject: false });
  const candidates = [client.file, ...String(which.stdout).split('\n').filter(Boolean)];
  for (const file of candidates) {
    const version = await execa(file, ['version', '--format', '{{.Client.Version}}'], {
      env: client.env,
      reject: false,
      stdin: 'ignore',
    });
    const major = Number(/^(\d+)\./.exec(String(version.stdout).trim())?.[1]);
    if (major >= 18 && major < 23) return { file, env };
  }
  return null;
}

async function buildImage(client: DockerClient, args: string[], log: (line: string) => void): Promise<void> {
  const builder = (await buildKitClient(client)) ?? {
    ...client,
    env: { ...client.env, DOCKER_BUILDKIT: '0' },
  };
  const result = await execa(builder.file, ['build', ...args], {
    env: builder.env,
    reject: false,
    stdin: 'ignore',
    all: true,
  });
  if (result.exitCode !== 0) {
    const output = String(result.all);
    log(output.split('\n').slice(-15).join('\n'));
    throw new Error(`docker build failed (exit ${result.exitCode}): ${firstLine(output)}`);
  }
}

async function canHaveBase(client: DockerClient, image: string): Promise<boolean> {
  if (await imageExists(client, image)) return true;
  const pull = await execa(client.file, ['pull', image], {
    env: client.env,
    reject: false,
    stdin: 'ignore',
    timeout: 120_000,
  });
  return pull.exitCode === 0;
}

async function tagAll(client: DockerClient, image: string, tags: string[]): Promise<void> {
  for (const tag of tags) if (tag !== image) await docker(client, ['tag', image, tag]);
}

/** The normal path: the repository as context, node:20-slim, npm ci and the build inside. */
async function buildFromNetwork(options: BuildWorkerImageOptions, log: (line: string) => void) {
  const [image, ...rest] = options.tags;
  if (!image) throw new Error('buildWorkerImage: no tag given');
  await buildImage(
    options.docker,
    [
      '-f',
      path.join(options.root, 'Dockerfile'),
      '-t',
      image,
      '--build-arg',
      `BASE_IMAGE=${NETWORK_BASE_IMAGE}`,
      options.root,
    ],
    log,
  );
  await tagAll(options.docker, image, rest);
  return { image, from: 'network' as const, built: true, baseImage: NETWORK_BASE_IMAGE };
}

/** The host path: Dockerfile.prebuilt over dist/ and production node_modules/, reused by content hash. */
async function buildFromHost(options: BuildWorkerImageOptions, log: (line: string) => void) {
  const client = options.docker;
  let baseImage = options.baseImage;
  if (!baseImage) {
    if (await imageExists(client, NETWORK_BASE_IMAGE)) baseImage = NETWORK_BASE_IMAGE;
    else {
      const base = await ensureHostBaseImage(client);
      log(
        `${base.created ? 'made' : 'reusing'} base image ${base.tag} from this machine's node ${process.version}`,
      );
      baseImage = base.tag;
    }
  }
  if (distIsStale(options.root)) {
    log('dist/ is older than the sources: npm run build …');
    const build = await execa('npm', ['run', 'build'], { cwd: options.root, reject: false, all: true });
    if (build.exitCode !== 0) throw new Error(`npm run build failed: ${firstLine(String(build.all))}`);
  }
  const cacheDir = path.join(options.root, 'node_modules', '.cache', 'trading-workers-image');
  const context = await stagePrebuiltContext(options.root, cacheDir, log);
  const baseId = (await docker(client, ['image', 'inspect', '--format', '{{.Id}}', baseImage])).trim();
  const hash = `${context.hash}-${baseId.replace(/^sha256:/, '').slice(0, 8)}`;
  const image = `trading-workers:${hash}`;
  let built = false;
  if (await imageExists(client, image)) {
    log(`reusing ${image} (same dist/, lockfile and base)`);
  } else {
    await buildImage(client, ['-t', image, '--build-arg', `BASE_IMAGE=${baseImage}`, context.dir], log);
    built = true;
  }
  await tagAll(client, image, options.tags);
  return { image, from: 'host' as const, built, baseImage };
}

/** Builds the worker image the way asked (or the way that works here, with `auto`) and tags it. */
export async function buildWorkerImage(options: BuildWorkerImageOptions): Promise<BuiltWorkerImage> {
  const log = options.log ?? (() => {});
  if (options.from === 'host') return buildFromHost(options, log);
  if (options.from === 'network') return buildFromNetwork(options, log);
  if (!(await canHaveBase(options.docker, NETWORK_BASE_IMAGE))) {
    log(`${NETWORK_BASE_IMAGE} cannot be pulled here: building from this machine's build instead`);
    return buildFromHost(options, log);
  }
  try {
    return await buildFromNetwork(options, log);
  } catch (error) {
    log(`the normal build failed (${(error as Error).message}): building from this machine's build instead`);
    return buildFromHost(options, log);
  }
}
