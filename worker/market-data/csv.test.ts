import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'ava';
import { DEFAULT_PAIRS } from '../../shared/pairs.js';
import { pairDataFile } from '../../shared/paths.js';
import { SHARED_DATA_DIR } from '../../test/helpers/real-candles.js';
import { PairDataError } from './candles.js';
import { formatCandleCsv, parseCandleCsv, readCandleCsv, writeCandleCsv } from './csv.js';

const sharedData = SHARED_DATA_DIR;
const HEADER = 'Datetime,Open,High,Low,Close,Adj Close,Volume';
const row = (t: string, o = 10, h = 11, l = 9, c = 10.5, v = 100) => `${t},${o},${h},${l},${c},${c},${v}`;

const tempDir = () => fs.mkdtemp(path.join(os.tmpdir(), 'md-csv-'));

test('every real file in ../shared/data loads: 8760 rows, one gap at 2023-03-24T13:00', async (t) => {
  for (const pair of DEFAULT_PAIRS) {
    const file = pairDataFile(sharedData, pair);
    const s = await readCandleCsv(file, pair);
    t.is(s.times.length, 8760, pair);
    t.is(s.gaps, 1, pair);
    t.is(s.source, 'data-dir');
    t.is(s.file, file);
    const first = pair === 'BTC-USD' ? '2022-12-30T19:00:00.000Z' : '2022-12-30T20:00:00.000Z';
    const last = pair === 'BTC-USD' ? '2023-12-30T19:00:00.000Z' : '2023-12-30T20:00:00.000Z';
    t.is(new Date(s.times[0]!).toISOString(), first, pair);
    t.is(new Date(s.times[8759]!).toISOString(), last, pair);
    t.is(s.warnings.length, 1, pair);
    t.true(s.warnings[0]?.startsWith(`${file}:`), pair);
    t.regex(s.warnings[0] ?? '', /:\d+: gap: 1 hour\(s\) missing after 2023-03-24T12:00:00.000Z$/);
    t.true(s.close.every((c) => c > 0) && s.volume.every((v) => v >= 0), pair);
  }
});

test('writeCandleCsv then readCandleCsv round-trips every number and time exactly', async (t) => {
  const dir = await tempDir();
  const original = await readCandleCsv(pairDataFile(sharedData, 'ETH-USD'), 'ETH-USD');
  const file = path.join(dir, 'ETH_USD_data.csv');
  await writeCandleCsv(file, original);
  t.deepEqual(
    (await fs.readdir(dir)).filter((n) => n.startsWith('.tmp-')),
    [],
  );
  const back = await readCandleCsv(file, 'ETH-USD', 'cache');
  for (const key of ['times', 'open', 'high', 'low', 'close', 'volume'] as const)
    t.deepEqual(back[key], original[key]);
  t.is(back.gaps, 1);
  t.is(back.source, 'cache');
  const text = await fs.readFile(file, 'utf8');
  t.true(
    text.startsWith(
      `${HEADER}\n2022-12-30T20:00:00.000Z,1194.88,1197.41,1194.88,1197.41,1197.41,7755.7609\n`,
    ),
  );
  // The real file, byte for byte: same layout, same number strings.
  t.is(text, await fs.readFile(pairDataFile(sharedData, 'ETH-USD'), 'utf8'));
  t.is(formatCandleCsv(back), text);
});

test('each problem names file and line; errors fail the load with the pair first', async (t) => {
  const text = [
    HEADER,
    row('2023-01-01T00:00:00Z'),
    row('2023-01-01T01:00:00Z', 10, 10.2, 9, 10.5), // high below close: warning
    row('2023-01-01T01:00:00Z'), // duplicate
    row('2023-01-01T00:00:00Z'), // out of order
    row('not a date'),
    row('2023-01-01 05:00:00'), // no zone
    '2023-01-01T06:00:00Z,10,11,9,,,100', // missing close
    row('2023-01-01T07:00:00Z', 0), // non-positive open
    row('2023-01-01T08:00:00Z', Number.NaN), // NaN
    '2023-01-01T09:00:00Z,10,11',
  ].join('\n');
  const { problems } = parseCandleCsv(text, 'x.csv');
  const at = (line: number) => problems.filter((p) => p.line === line).map((p) => `${p.level}: ${p.message}`);
  t.deepEqual(at(3), ['warning: high 10.2 is below max(open 10, close 10.5)']);
  t.regex(at(4).join(), /error: duplicate timestamp 2023-01-01T01:00:00.000Z \(also on line 3\)/);
  t.regex(at(5).join(), /error: 2023-01-01T00:00:00.000Z is before/);
  t.regex(at(6).join(), /error: unparseable timestamp "not a date"/);
  t.regex(at(7).join(), /error: unparseable timestamp/);
  t.deepEqual(at(8), ['error: close is missing']);
  // Lines 6–8 were unusable, so line 9 also follows a gap.
  t.deepEqual(at(9), [
    'error: open is 0, prices must be positive',
    'warning: gap: 5 hour(s) missing after 2023-01-01T01:00:00.000Z',
  ]);
  t.deepEqual(at(10), ['error: open is not a number']);
  t.deepEqual(at(11), ['error: expected 7 fields, got 3']);
  t.true(problems.every((p) => p.file === 'x.csv'));

  const dir = await tempDir();
  const file = path.join(dir, 'BAD_USD_data.csv');
  await fs.writeFile(file, text);
  const error = await t.throwsAsync(readCandleCsv(file, 'BAD-USD'), { instanceOf: PairDataError });
  t.is(error?.pair, 'BAD-USD');
  t.regex(error?.message ?? '', new RegExp(`^BAD-USD: 8 data error\\(s\\): ${file}:4: duplicate timestamp`));
  t.regex(error?.message ?? '', /\(and 5 more\)$/);
  t.false(error?.message.includes('\n'));
});

test('header, emptiness, off-grid times and gaps', (t) => {
  t.regex(parseCandleCsv('Date,Open\n', 'a.csv').problems[0]?.message ?? '', /header must be/);
  t.deepEqual(
    parseCandleCsv(`${HEADER}\n`, 'a.csv').problems.map((p) => p.message),
    ['no candles after the header'],
  );
  const off = parseCandleCsv(
    [HEADER, row('2023-01-01T00:00:00Z'), row('2023-01-01T00:30:00Z')].join('\n'),
    'a.csv',
  );
  t.regex(off.problems[0]?.message ?? '', /not on the hourly grid/);
  const gap = parseCandleCsv(
    [
      HEADER,
      row('2023-01-01T00:00:00+00:00'),
      row('2023-01-01T04:00:00+00:00'),
      row('2023-01-01T05:00:00Z'),
    ].join('\n'),
    'a.csv',
  );
  t.deepEqual(gap.problems, [
    {
      level: 'warning',
      file: 'a.csv',
      line: 3,
      message: 'gap: 3 hour(s) missing after 2023-01-01T00:00:00.000Z',
    },
  ]);
  t.is(gap.candles.length, 3);
});

test('a missing file is a PairDataError naming the symbol and the path', async (t) => {
  const file = path.join(os.tmpdir(), 'does-not-exist', 'X_USD_data.csv');
  const error = await t.throwsAsync(readCandleCsv(file, 'X-USD'));
  t.is(error?.message, `X-USD: no candle file at ${file}`);
});
