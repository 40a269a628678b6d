import fs from 'node:fs';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { execa } from 'execa';
import { repoRoot } from '../test/helpers/run-fixture.js';
import { makeTempDir } from '../test/helpers/temp-dir.js';

// What a command loads before it does anything: every command starts with the same static module graph
// (cli.ts registers them all), and the supervisor keeps that graph in its heap for the whole run, where
// every garbage collection walks it. Ink and React (the dashboard), TensorFlow.js (models) and
// yahoo-finance2 (downloads) are loaded on first use instead.

const LAZY_PACKAGES = [
  'ink',
  'react',
  'react-reconciler',
  'yoga-layout',
  '@tensorflow/tfjs',
  'yahoo-finance2',
];

/** The URL of every module Node resolved while running `node --import tsx ENTRY ARGS`. */
async function modulesLoaded(t: ExecutionContext, entry: string, args: string[]) {
  const temp = makeTempDir('tw-imports-');
  t.teardown(() => temp.remove());
  const log = path.join(temp.dir, 'loaded.txt');
  // A resolve hook that appends each resolved URL to the log (hooks run off the main thread).
  const hook = `import fs from 'node:fs'; export async function resolve(s, c, next) { const r = await next(s, c); fs.appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }`;
  const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
  const result = await execa(
    process.execPath,
    ['--import', 'tsx', '--import', `data:text/javascript,${encodeURIComponent(register)}`, entry, ...args],
    { cwd: repoRoot, reject: false, timeout: 60_000 },
  );
  return { result, urls: fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

function packagesIn(urls: readonly string[]): Set<string> {
  const packages = new Set<string>();
  for (const url of urls) {
    const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
    if (match) packages.add(match[1]!);
  }
  return packages;
}

test('a command loads neither the dashboard, TensorFlow.js nor yahoo-finance2 before it needs them', async (t) => {
  const results = makeTempDir('tw-imports-results-');
  t.teardown(() => results.remove());
  const { result, urls } = await modulesLoaded(t, path.join(repoRoot, 'cli.ts'), [
    'status',
    '--results',
    results.dir,
  ]);
  t.true(result.stdout.length + result.stderr.length > 0, 'status said something');
  const packages = packagesIn(urls);
  // The same graph every command (train included) starts with: the check sees packages at all.
  for (const loaded of ['yargs', 'zod', 'execa', 'chokidar']) t.true(packages.has(loaded), loaded);
  for (const lazy of LAZY_PACKAGES) t.false(packages.has(lazy), `${lazy} is loaded at start-up`);
});

test('the dashboard module itself does load Ink and React (the check above sees them when they load)', async (t) => {
  const probe = makeTempDir('tw-imports-probe-');
  t.teardown(() => probe.remove());
  const entry = path.join(probe.dir, 'probe.mjs');
  fs.writeFileSync(
    entry,
    `await import(${JSON.stringify(path.join(repoRoot, 'tui', 'ink', 'render-dashboard.tsx'))});\n`,
  );
  const { urls } = await modulesLoaded(t, entry, []);
  const packages = packagesIn(urls);
  t.true(packages.has('ink'));
  t.true(packages.has('react'));
});
