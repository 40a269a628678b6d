import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The width function Ink measures text with, as installed: package.json's `overrides` give Ink's
// `widest-line` the `fast-string-width` library in place of `string-width` (README › Speed). The tests
// hold it to `string-width` on the dashboard's lines and the bench times one against the other.

/** The package folder Node resolves `name` to from `fromDir`, walking up the node_modules folders. */
function packageDir(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`${name} is not installed where ${fromDir} can see it`);
  }
}

export interface InkTextWidth {
  /** The package `widest-line` (under Ink) imports as `string-width`: `fast-string-width` when the override is in place. */
  packageName: string;
  /** Where it is installed. */
  dir: string;
  width: (text: string) => number;
}

/** Loads the width function that Ink's `widest-line` resolves. */
export async function inkTextWidth(): Promise<InkTextWidth> {
  const inkDir = dirname(dirname(fileURLToPath(import.meta.resolve('ink'))));
  const dir = packageDir('string-width', packageDir('widest-line', inkDir));
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    exports?: string | { default?: string; import?: string };
    main?: string;
  };
  const entry =
    typeof manifest.exports === 'string'
      ? manifest.exports
      : (manifest.exports?.import ?? manifest.exports?.default ?? manifest.main ?? 'index.js');
  const module = (await import(pathToFileURL(join(dir, entry)).href)) as {
    default: (text: string) => number;
  };
  return { packageName: manifest.name, dir, width: module.default };
}
