import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import ts from 'typescript';
import { repoRoot } from './helpers/run-fixture.js';

// The dependency rule (STYLE.md), checked over the real import graph: tui → shared ← supervisor,
// worker → shared, only cli.ts and cli/ wire them; product code never imports test/ or bench/, bench/
// never imports test/; across top-level folders, imports go through the folder's index.ts.

const PRODUCT = ['cli', 'shared', 'worker', 'supervisor', 'tui'] as const;
type Area = (typeof PRODUCT)[number] | 'test' | 'bench';

/** Which top-level folders each area may import (besides itself). */
const ALLOWED: Record<Area, readonly Area[]> = {
  shared: [],
  worker: ['shared'],
  supervisor: ['shared'],
  tui: ['shared'],
  cli: ['shared', 'worker', 'supervisor', 'tui'],
  bench: ['shared', 'worker', 'supervisor', 'tui'],
  test: ['cli', 'shared', 'worker', 'supervisor', 'tui', 'bench'],
};
/** Packages an area must never import (tui renders: it never spawns, watches or trains). */
const FORBIDDEN_PACKAGES: Partial<Record<Area, RegExp>> = {
  tui: /^(execa|chokidar|@tensorflow\/)/,
  shared: /^(execa|chokidar|@tensorflow\/|ink|react)/,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'node_modules' || entry.name === 'public' ? [] : sourceFiles(rel);
    return /\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [rel] : [];
  });
}

function areaOf(file: string): Area | null {
  if (file === 'cli.ts') return 'cli';
  const top = file.split(path.sep)[0] as Area;
  return top in ALLOWED ? top : null;
}

const isTest = (file: string) => /\.test\.tsx?$/.test(file) || file.startsWith(`test${path.sep}`);

/** Every relative import of the product, test and bench sources: [importing file, resolved target]. */
function imports(): { file: string; specifier: string; target: string | null }[] {
  const files = [
    'cli.ts',
    ...PRODUCT.flatMap((d) => sourceFiles(d)),
    ...sourceFiles('bench'),
    ...sourceFiles('test'),
  ];
  return files.flatMap((file) => {
    const info = ts.preProcessFile(readFileSync(path.join(repoRoot, file), 'utf8'), true, true);
    return info.importedFiles.map(({ fileName: specifier }) => ({
      file,
      specifier,
      target: specifier.startsWith('.') ? path.normalize(path.join(path.dirname(file), specifier)) : null,
    }));
  });
}

test('each folder imports only what the dependency rule allows', (t) => {
  const broken: string[] = [];
  for (const { file, specifier, target } of imports()) {
    const from = isTest(file) && !file.startsWith('test') ? 'test' : areaOf(file);
    if (from === null) continue;
    if (target === null) {
      const forbidden = FORBIDDEN_PACKAGES[from];
      if (forbidden?.test(specifier) && !isTest(file))
        broken.push(`${file} imports the package ${specifier}`);
      continue;
    }
    const to = areaOf(target);
    if (to === null || to === from) continue;
    if (!ALLOWED[from].includes(to)) broken.push(`${file} (${from}/) imports ${specifier} (${to}/)`);
  }
  t.deepEqual(broken, []);
});

test('across folders, product code imports through the folder’s index.ts', (t) => {
  const broken: string[] = [];
  for (const { file, specifier, target } of imports()) {
    const from = areaOf(file);
    if (from === null || from === 'test' || from === 'bench' || isTest(file) || target === null) continue;
    const to = areaOf(target);
    if (to === null || to === from) continue;
    if (target !== path.join(to, 'index.js')) broken.push(`${file} imports ${specifier}: use ${to}/index.ts`);
  }
  t.deepEqual(broken, []);
});

test('the rule itself: a tui/ file importing supervisor/ would be caught', (t) => {
  t.false(ALLOWED.tui.includes('supervisor'));
  t.false(ALLOWED.bench.includes('test'));
  t.true(FORBIDDEN_PACKAGES.tui?.test('chokidar'));
});
