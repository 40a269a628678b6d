import test from 'ava';

// Colours on, before Ink's chalk loads: the dashboard's lines are to carry their SGR codes.
process.env.FORCE_COLOR = '3';
delete process.env.NO_COLOR;
const { styledCharsToString } = await import('@alcalzone/ansi-tokenize');
const { dashboardLines } = await import('../../test/helpers/fleet-dashboard.js');
const { isSimpleLine, mergeStyleRuns, styledLine, tokenizedLine } = await import('./styled-line.js');

// The library (`styledCharsFromTokens(tokenize(line))`, what Ink uses) is the reference for every line.

const reference = tokenizedLine;

/** SGR sequences of every kind the library tells apart: colours (16, 256, rgb), intensity, resets, compounds. */
const SGR = [
  '\u001B[32m',
  '\u001B[39m',
  '\u001B[1m',
  '\u001B[2m',
  '\u001B[22m',
  '\u001B[7m',
  '\u001B[27m',
  '\u001B[1;31m',
  '\u001B[38;5;208m',
  '\u001B[38;2;255;128;0m',
  '\u001B[48;5;17m',
  '\u001B[49m',
  '\u001B[0m',
  '\u001B[m',
  '\u001B[4m',
  '\u001B[24m',
];

/** Every code point of the ranges the fast path reads a code unit at a time. */
function candidateCharacters(): string[] {
  const out: string[] = [];
  for (const [from, to] of [
    [0x20, 0x7e],
    [0xa0, 0x2ff],
    [0x2010, 0x2bff],
  ] as const) {
    for (let c = from; c <= to; c++) out.push(String.fromCodePoint(c));
  }
  return out;
}

test('every character the fast path can take, between SGR codes of every kind, gives the library’s styled characters', (t) => {
  const characters = candidateCharacters();
  let simple = 0;
  let lines = 0;
  for (let start = 0; start < characters.length; start += 40) {
    const chunk = characters.slice(start, start + 40);
    // A code every few characters, cycling through the kinds, so styles pile up and reset.
    let line = '';
    for (let i = 0; i < chunk.length; i++) {
      if (i % 3 === 0) line += SGR[(start / 40 + i) % SGR.length];
      line += chunk[i];
    }
    lines++;
    if (isSimpleLine(line)) simple++;
    t.deepEqual(styledLine(line), reference(line), `characters U+${chunk[0]!.codePointAt(0)!.toString(16)}…`);
  }
  // Marks and format characters in the ranges send their chunk to the library; most chunks are simple.
  t.true(simple > lines * 0.8, `${simple} of ${lines} lines took the fast path`);
  t.true(isSimpleLine(`${SGR[0]}● worker 1 ${SGR[6]}█████░░░░${SGR[1]} ↻2 · 12s`));
});

test('lines the fast path must not read a unit at a time go to the library and give its answer', (t) => {
  const cases: [string, string][] = [
    ['a combining accent', 'cafe\u0301 ok'],
    ['an emoji with a variation selector', 'warn \u26A0\uFE0F now'],
    ['a wide emoji (astral)', 'up 🚀 12%'],
    ['a ZWJ family', 'x👨‍👩‍👧y'],
    ['flags (regional indicators)', 'pair 🇺🇸🇪🇺'],
    ['CJK wide characters', '利润 12%'],
    ['Hangul jamo', '\u1100\u1161\u11A8 a'],
    ['a hyperlink (OSC 8)', '\u001B]8;;https://example.com\u0007link\u001B]8;;\u0007 after'],
    ['a tab', 'a\tb'],
    ['an escape that is not SGR', 'a\u001B[2Kb'],
    ['a lone escape', 'end\u001B'],
    ['a C1 CSI', 'a\u009B31mb'],
    ['a soft hyphen (format character)', 'co\u00ADop'],
    ['a zero-width joiner alone', 'a\u200Db'],
  ];
  for (const [name, line] of cases) {
    t.false(isSimpleLine(line), name);
    t.deepEqual(styledLine(line), reference(line), name);
    const styled = `\u001B[32m${line}\u001B[39m`;
    t.deepEqual(styledLine(styled), reference(styled), `${name}, styled`);
  }
  // Wide characters the fast path does take keep the library's width (U+2B50 is East Asian Wide).
  t.true(isSimpleLine('star \u2B50 watch \u231A'));
  t.deepEqual(styledLine('star \u2B50 watch \u231A'), reference('star \u2B50 watch \u231A'));
  t.true(styledLine('\u2B50')[0]!.fullWidth);
});

test('merging neighbours of one style changes nothing in the string, and merges', (t) => {
  const lines = [
    `${SGR[0]}● training${SGR[1]} BTC-USD ${SGR[3]}ep${SGR[4]} 3/10 ${SGR[0]}█████░░░░░${SGR[1]}`,
    `${SGR[2]}${SGR[3]}bold and dim${SGR[4]} plain ${SGR[7]}red bold${SGR[12]} reset`,
    `${SGR[8]}orange${SGR[10]} on blue${SGR[11]}${SGR[1]} x${SGR[13]}`,
    'plain text only',
    '',
  ];
  for (const line of lines) {
    const chars = styledLine(line);
    const merged = mergeStyleRuns(chars);
    t.is(styledCharsToString(merged), styledCharsToString(chars), line);
    t.is(merged.map((c) => c.value).join(''), chars.map((c) => c.value).join(''));
    if (chars.length > 0) t.true(merged.length < chars.length, line);
    // The input is left as it was (the frame cache keeps those characters).
    t.deepEqual(chars, reference(line));
  }
});

test('the dashboard’s own lines take the fast path and give the library’s styled characters', async (t) => {
  const lines = await dashboardLines(t);
  t.true(lines.length > 200, `${lines.length} distinct lines`);
  t.true(
    lines.some((line) => line.includes('\u001B[') && /[●█░▸·]/u.test(line)),
    'coloured lines with symbols',
  );
  const slow = lines.filter((line) => !isSimpleLine(line));
  // The speed depends on it: a dashboard change that sent its lines to the slow path would show here.
  t.true(slow.length <= lines.length * 0.02, `lines off the fast path: ${JSON.stringify(slow.slice(0, 5))}`);
  const differing = lines.filter(
    (line) => JSON.stringify(styledLine(line)) !== JSON.stringify(reference(line)),
  );
  t.deepEqual(differing, []);
});
