import test from 'ava';

// Colours on, before Ink's chalk loads: the lines measured carry their SGR codes, as Ink measures them.
process.env.FORCE_COLOR = '3';
delete process.env.NO_COLOR;
const { default: stringWidth } = await import('string-width');
const { dashboardLines } = await import('../../test/helpers/fleet-dashboard.js');
const { inkTextWidth } = await import('./ink-text-width.js');

// package.json's `overrides` give Ink's `widest-line` the `fast-string-width` library in place of
// `string-width` (`string-width` 8 walks any line with a `●` or `█` through `Intl.Segmenter`, and Ink
// measures every text node of every frame). `string-width` stays the reference: Ink composes frames with
// it, so layout and composition must agree on what the dashboard draws.

const ink = await inkTextWidth();
const inkWidth = ink.width;

test('Ink measures text with fast-string-width (the override in package.json is installed)', (t) => {
  t.is(
    ink.packageName,
    'fast-string-width',
    `Ink's widest-line resolves string-width to ${ink.entry}: run npm ci, and keep "overrides" in package.json`,
  );
  t.true(inkWidth('abc') === 3 && inkWidth('\u001B[32m●\u001B[39m █') === 3);
});

test('on every line the dashboard draws, and on its symbols, both libraries give the same width', async (t) => {
  const lines = await dashboardLines(t);
  t.true(lines.length > 200, `${lines.length} distinct lines`);
  const differing = lines.filter((line) => inkWidth(line) !== stringWidth(line));
  t.deepEqual(differing, []);
  // Symbols the views use, text a worker's error or a pair name could bring, wide and emoji characters.
  const samples = [
    '● ○ ◌ ▸ ▾ ▴ ↻ ↑ ↓ · … — – █ ▓ ▒ ░ ▁▂▃▄▅▆▇ ✓ ✗ ⚠ ★ ─ │ ┌ ┐ └ ┘ ├ ┤ ╭ ╮ ╯ ╰ ━ ┃ ▏',
    'café naïve Zürich ØRE £ € ¥ ° ± × ÷',
    '利润 日本語 한국어',
    '⭐ ⌚ 🚀 ⚠️ 👍🏽 👨‍👩‍👧 🇺🇸',
    '\u001B[1;31merror\u001B[0m \u001B]8;;https://example.com\u0007link\u001B]8;;\u0007',
  ];
  for (const text of samples) t.is(inkWidth(text), stringWidth(text), text);
});
