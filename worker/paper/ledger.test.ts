import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import type { LedgerCandle, LedgerStart } from '../../shared/index.js';
import { makeTempDir } from '../../test/helpers/temp-dir.js';
import { LedgerWriter, readLedger } from './ledger.js';
import { openBook, stepBook } from './paper-book.js';

const start: LedgerStart = {
  schema: 1,
  type: 'start',
  pair: 'BTC-USD',
  model: '/m',
  mode: 'replay',
  feeRate: 0.001,
  initialCash: 10_000,
  at: '2024-01-01T00:00:00.000Z',
};

function candles(count: number): LedgerCandle[] {
  let book = openBook(10_000);
  const lines: LedgerCandle[] = [];
  for (let k = 0; k < count; k++) {
    const step = stepBook(book, { time: k * 3_600_000, close: 100 + k }, k % 3 === 0 ? 1 : 0, 0.001, {
      qValues: [[0.1, 0.2]],
      late: false,
      at: '2024-01-01T00:00:00.000Z',
    });
    lines.push(step.line);
    book = step.book;
  }
  return lines;
}

test.serial('a ledger reads back line for line; a torn last line is cut off and reported', async (t) => {
  const tmp = makeTempDir('tw-ledger-');
  t.teardown(tmp.remove);
  const file = path.join(tmp.dir, 'paper', 'ledger.jsonl');
  const writer = await LedgerWriter.open(file);
  await writer.append(start);
  for (const line of candles(5)) await writer.append(line);
  await writer.close();
  const read = await readLedger(file);
  t.deepEqual(read.start, start);
  t.deepEqual(read.candles, candles(5));
  t.is(read.repaired, null);
  // A process killed while writing line 7 leaves part of it.
  const torn = JSON.stringify(candles(6)[5]).slice(0, 40);
  await fs.appendFile(file, torn);
  const repaired = await readLedger(file);
  t.is(repaired.repaired, torn);
  t.is(repaired.candles.length, 5);
  t.false((await fs.readFile(file, 'utf8')).includes(torn));
  t.deepEqual(await readLedger(path.join(tmp.dir, 'none.jsonl')), {
    start: null,
    candles: [],
    end: null,
    repaired: null,
  });
});

test.serial(
  'a repeated, missing or garbled line is an error naming file and line, never skipped',
  async (t) => {
    const tmp = makeTempDir('tw-ledger-');
    t.teardown(tmp.remove);
    const file = path.join(tmp.dir, 'ledger.jsonl');
    const lines = candles(4);
    const write = (rows: unknown[]) =>
      fs.writeFile(file, rows.map((r) => `${typeof r === 'string' ? r : JSON.stringify(r)}\n`).join(''));
    await write([start, lines[0], lines[1], lines[1]]);
    await t.throwsAsync(readLedger(file), {
      message: `${file}:4: seq 2 follows 2: a candle line is missing or repeated`,
    });
    await write([start, lines[0], lines[2]]);
    await t.throwsAsync(readLedger(file), {
      message: `${file}:3: seq 3 follows 1: a candle line is missing or repeated`,
    });
    await write([start, lines[0], '{"type":"candle"']);
    await t.throwsAsync(readLedger(file), { message: new RegExp(`^${file}:3: not JSON`) });
    await write([lines[0]]);
    await t.throwsAsync(readLedger(file), { message: `${file}:1: a ledger starts with its "start" line` });
    await write([start, { ...lines[0], price: -1 }]);
    await t.throwsAsync(readLedger(file), { message: new RegExp(`^${file}:2: price:`) });
    await write([start, lines[0], { ...lines[1], candleTime: lines[0]!.candleTime }]);
    await t.throwsAsync(readLedger(file), {
      message: /:3: candle .* is not after .*: a candle was decided twice/,
    });
  },
);
