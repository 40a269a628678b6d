/** @jsxRuntime automatic */
/** @jsxImportSource react */
import test from 'ava';
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { inkTextWidth } from './ink-text-width.js';

// Ink 6.8 keeps every distinct text it measures or wraps, for the life of the process
// (vadimdemedes/ink#986, not fixed upstream by 7.1.1). A dashboard redraws ages, counters and rows every
// second, so one left open leaked steadily: about 25 MB a day with 4 workers, far more with a fleet's
// rows. `patches/ink+6.8.0.patch` (applied by patch-package on `npm ci`) bounds both caches to 10,000
// entries, the oldest going first. Ink's modules are loaded by file URL: the instances Ink itself uses.

const inkEntry = import.meta.resolve('ink');
const measureModule = (await import(new URL('./measure-text.js', inkEntry).href)) as {
  default: (text: string) => { width: number; height: number };
  measureTextCacheSize?: () => number;
};
const wrapModule = (await import(new URL('./wrap-text.js', inkEntry).href)) as {
  default: (text: string, maxWidth: number, wrapType: string) => string;
  wrapTextCacheSize?: () => number;
};
const MAX_ENTRIES = 10_000;
const { width: referenceWidth } = await inkTextWidth();

const patchMissing = 'Ink is not patched: run npm ci (postinstall applies patches/ink+6.8.0.patch)';

test('Ink measures any number of distinct texts with at most 10,000 kept, and the same widths', (t) => {
  const cacheSize = measureModule.measureTextCacheSize;
  if (!cacheSize) return t.fail(patchMissing);
  const measure = measureModule.default;
  const samples = ['abc', '\u001B[32m● training\u001B[39m', 'ab\ncdef', '漢字 x', '▕████▏ 12%'];
  const expected = samples.map((s) => ({
    width: Math.max(...s.split('\n').map(referenceWidth)),
    height: s.split('\n').length,
  }));
  t.deepEqual(samples.map(measure), expected);
  // A clock and counters: every text new, as a dashboard's rows are from one second to the next.
  for (let k = 0; k < 3 * MAX_ENTRIES; k++) measure(`hb ${k}s · ${(k * 7.3).toFixed(1)} steps/s`);
  t.true(cacheSize() <= MAX_ENTRIES, `${cacheSize()} texts kept`);
  t.true(cacheSize() >= MAX_ENTRIES - 1, 'recent texts stay cached');
  // The samples were evicted long ago: measured again, they give the same answers.
  t.deepEqual(samples.map(measure), expected);
  t.is(measure('').width, 0);
});

test('Ink wraps and truncates any number of distinct texts with at most 10,000 kept, and the same text', (t) => {
  const cacheSize = wrapModule.wrapTextCacheSize;
  if (!cacheSize) return t.fail(patchMissing);
  const wrap = wrapModule.default;
  const samples = () => [
    wrap('BTC-USD/short-horizon', 10, 'truncate-end'),
    wrap('BTC-USD/short-horizon', 10, 'truncate-middle'),
    wrap('abcdef ghij', 6, 'wrap'),
  ];
  t.deepEqual(samples(), ['BTC-USD/s…', 'BTC-U…izon', 'abcdef\n ghij']);
  for (let k = 0; k < 3 * MAX_ENTRIES; k++) wrap(`worker ${k} episode ${k % 10}/10`, 12, 'truncate-end');
  t.true(cacheSize() <= MAX_ENTRIES, `${cacheSize()} texts kept`);
  // Evicted long ago: wrapped again, the same text.
  t.deepEqual(samples(), ['BTC-USD/s…', 'BTC-U…izon', 'abcdef\n ghij']);
});

test("Ink's renderer measures through the bounded cache (the patched module is the one Ink uses)", (t) => {
  const cacheSize = measureModule.measureTextCacheSize;
  if (!cacheSize) return t.fail(patchMissing);
  const text = `a text no test measured before: ${process.hrtime.bigint()}`;
  const before = cacheSize();
  const app = render(
    <Box width={100}>
      <Text>{text}</Text>
    </Box>,
  );
  t.teardown(() => app.unmount());
  t.true(app.lastFrame()?.includes(text));
  t.true(
    cacheSize() > before || before >= MAX_ENTRIES,
    `the cache held ${before} texts before the render and ${cacheSize()} after`,
  );
});
