// The small build context of Dockerfile.prebuilt: the host's dist/ and production node_modules/,
// nothing else. The vfs storage driver copies every layer, so every megabyte here costs on each build.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';

/** The folders of dist/ the image needs (tests and benchmarks stay out). */
const DIST_PARTS = ['cli.js', 'cli', 'shared', 'worker', 'supervisor', 'tui'];
/** Source folders whose .ts files are compiled into dist/ (as start_training.sh checks). */
export const SOURCE_PARTS = ['cli.ts', 'cli', 'shared', 'worker', 'supervisor', 'tui'];

// Source maps and type declarations are never loaded at run time; in production node_modules they
// are 236 of 385 MB (measured on this lockfile).
const droppable = (name: string) => /\.(map|d\.ts|d\.mts|d\.cts)$/.test(name);

function walk(dir: string, visit: (file: string) => void): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, visit);
    else if (entry.isFile()) visit(full);
  }
}

/** True when dist/cli.js is missing or older than a TypeScript source (start_training.sh's rule). */
export function distIsStale(root: string): boolean {
  const cli = path.join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) return true;
  const built = statSync(cli).mtimeMs;
  let stale = false;
  for (const part of SOURCE_PARTS) {
    const full = path.join(root, part);
    if (!existsSync(full)) continue;
    if (statSync(full).isFile()) stale ||= statSync(full).mtimeMs > built;
    else
      walk(full, (file) => {
        if (/\.tsx?$/.test(file) && statSync(file).mtimeMs > built) stale = true;
      });
  }
  return stale;
}

function removeDroppable(dir: string): void {
  walk(dir, (file) => {
    if (droppable(path.basename(file))) rmSync(file);
  });
}

/** A hash of the lockfile: the production node_modules are staged once per lockfile. */
function lockHash(root: string): string {
  return createHash('sha256')
    .update(readFileSync(path.join(root, 'package-lock.json')))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Stages the context under `cacheDir` (package.json, dist/ without maps, production node_modules/
 * from the lockfile) and returns its folder and a content hash of everything the image is made of.
 */
export async function stagePrebuiltContext(
  root: string,
  cacheDir: string,
  log: (line: string) => void = () => {},
): Promise<{ dir: string; hash: string }> {
  const dir = path.join(cacheDir, `prebuilt-${lockHash(root)}`);
  mkdirSync(dir, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) {
    copyFileSync(path.join(root, file), path.join(dir, file));
  }
  copyFileSync(path.join(root, 'Dockerfile.prebuilt'), path.join(dir, 'Dockerfile'));
  if (!existsSync(path.join(dir, 'node_modules', '.package-lock.json'))) {
    log('staging production node_modules/ (npm ci --omit=dev --omit=optional) …');
    // From the lockfile, as the network path's `npm prune --omit=dev` would leave it; npm's cache
    // (filled by the host's own `npm ci`) serves it without the network where it can.
    const result = await execa(
      'npm',
      [
        'ci',
        '--omit=dev',
        '--omit=optional',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
      ],
      { cwd: dir, reject: false, stdin: 'ignore' },
    );
    if (result.exitCode !== 0) {
      rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
      throw new Error(`npm ci --omit=dev in ${dir} failed: ${String(result.stderr).trim().split('\n')[0]}`);
    }
    removeDroppable(path.join(dir, 'node_modules'));
  }
  const dist = path.join(dir, 'dist');
  rmSync(dist, { recursive: true, force: true });
  for (const part of DIST_PARTS) {
    const from = path.join(root, 'dist', part);
    if (!existsSync(from)) throw new Error(`${from} is missing: run npm run build first`);
    cpSync(from, path.join(dist, part), { recursive: true, filter: (src) => !droppable(src) });
  }
  writeFileSync(path.join(dir, '.dockerignore'), '');
  return { dir, hash: contextHash(dir) };
}

/** sha256 over the context's Dockerfile, package files and dist/ (node_modules is fixed by the lockfile). */
export function contextHash(dir: string): string {
  const hash = createHash('sha256');
  const files: string[] = [];
  for (const name of ['Dockerfile', 'package.json', 'package-lock.json']) files.push(path.join(dir, name));
  walk(path.join(dir, 'dist'), (file) => files.push(file));
  for (const file of files.sort()) {
    hash.update(path.relative(dir, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}
