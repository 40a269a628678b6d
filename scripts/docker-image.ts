// `npm run docker:image [-- --from auto|network|host] [--tag NAME]`: builds the worker image and
// says which way. network: the Dockerfile (node:20-slim, npm ci, build inside); host: Dockerfile.prebuilt
// from this machine's dist/ and production node_modules/ (no registry needed inside the engine).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildWorkerImage, DEFAULT_WORKER_IMAGE, type ImagePath } from './docker/build-worker-image.js';
import { defaultDockerClient } from './docker/docker-client.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string', default: 'auto' },
      tag: { type: 'string', default: process.env.TW_IMAGE || DEFAULT_WORKER_IMAGE },
      base: { type: 'string' },
    },
  });
  const from = values.from;
  if (from !== 'auto' && from !== 'network' && from !== 'host') {
    process.stderr.write(`docker:image: --from must be auto, network or host, got ${from}\n`);
    return 2;
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const started = Date.now();
  const result = await buildWorkerImage({
    root,
    docker: defaultDockerClient(),
    from: from as ImagePath | 'auto',
    tags: [values.tag],
    baseImage: values.base,
    log,
  });
  const how =
    result.from === 'network'
      ? `the normal way (Dockerfile: ${result.baseImage}, npm ci, build)`
      : `from this machine's build (Dockerfile.prebuilt: dist/ + production node_modules/ on ${result.baseImage})`;
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  process.stdout.write(
    `${values.tag}: ${result.built ? 'built' : 'already built'} ${how} as ${result.image} in ${seconds} s\n`,
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`docker:image: ${(error as Error).message}\n`);
    process.exitCode = 1;
  },
);
