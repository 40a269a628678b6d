import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

// The width function Ink measures text with, as installed: package.json's `overrides` give Ink's
// `widest-line` the `fast-string-width` library in place of `string-width` (README › Speed). The tests
// hold it to `string-width` on the dashboard's lines and the bench times one against the other.

export interface InkTextWidth {
  /** The package `widest-line` (under Ink) imports as `string-width`: `fast-string-width` when the override is in place. */
  packageName: string;
  /** Its entry file. */
  entry: string;
  width: (text: string) => number;
}

/** The name in the nearest package.json above `file`. */
function packageNameOf(file: string): string {
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name;
  }
  throw new Error(`no package.json above ${file}`);
}

/** Loads the width function that Ink's `widest-line` resolves, by Node's own resolution from each package. */
export async function inkTextWidth(): Promise<InkTextWidth> {
  const widestLine = createRequire(import.meta.resolve('ink')).resolve('widest-line');
  const entry = createRequire(widestLine).resolve('string-width');
  const module = (await import(pathToFileURL(entry).href)) as { default: (text: string) => number };
  return { packageName: packageNameOf(entry), entry, width: module.default };
}
