import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** One file the mirror serves, held in memory. */
export interface StaticAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

const PAGE_FILES: ReadonlyArray<readonly [urlPath: string, file: string, contentType: string]> = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/app.js', 'app.js', 'text/javascript; charset=utf-8'],
  ['/app.css', 'app.css', 'text/css; charset=utf-8'],
  ['/favicon.svg', 'favicon.svg', 'image/svg+xml'],
];

const VENDOR_FILES: ReadonlyArray<readonly [urlPath: string, specifier: string, contentType: string]> = [
  ['/vendor/uPlot.iife.min.js', 'uplot/dist/uPlot.iife.min.js', 'text/javascript; charset=utf-8'],
  ['/vendor/uPlot.min.css', 'uplot/dist/uPlot.min.css', 'text/css; charset=utf-8'],
];

const asset = (body: Buffer, contentType: string): StaticAsset => ({
  body,
  contentType,
  etag: `"${createHash('sha1').update(body).digest('base64url')}"`,
});

function readOrExplain(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new Error(`HTTP mirror: cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

/**
 * Reads the page and the vendored uPlot once, at server start, into a fixed map keyed by URL path.
 * Requests are looked up in this map verbatim, so no URL ever becomes a filesystem path.
 * Resolved from this module's URL, so it works under tsx (tui/http/public) and from dist/.
 */
export function loadStaticAssets(): ReadonlyMap<string, StaticAsset> {
  const publicDir = fileURLToPath(new URL('./public/', import.meta.url));
  const require = createRequire(import.meta.url);
  const assets = new Map<string, StaticAsset>();
  for (const [urlPath, file, contentType] of PAGE_FILES) {
    assets.set(urlPath, asset(readOrExplain(`${publicDir}${file}`, 'page file'), contentType));
  }
  for (const [urlPath, specifier, contentType] of VENDOR_FILES) {
    let file: string;
    try {
      file = require.resolve(specifier);
    } catch {
      throw new Error(`HTTP mirror: cannot find ${specifier}; is the uplot package installed?`);
    }
    assets.set(urlPath, asset(readOrExplain(file, 'vendored file'), contentType));
  }
  return assets;
}
