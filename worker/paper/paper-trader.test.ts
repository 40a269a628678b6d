import path from 'node:path';
import test from 'ava';
import type { PaperTraderStatus } from '../../shared/index.js';
import { assertLedgerIsBacktest } from '../../test/helpers/ledger-backtest.js';
import { candleRows, loadRealCandles } from '../../test/helpers/real-candles.js';
import { makeTempDir } from '../../test/helpers/temp-dir.js';
import { type TrainedModel, trainSmallModel } from '../../test/helpers/trained-model.js';
import { yahooChartFetch } from '../../test/helpers/yahoo-chart-replay.js';
import { backtest } from '../backtest.js';
import { loadAgent } from '../model/index.js';
import { liveFeed } from './candle-feed.js';
import { readLedger } from './ledger.js';
import { PaperTrader } from './paper-trader.js';

const HOUR = 3_600_000;
const tmp = makeTempDir('tw-paper-live-');
test.after.always(tmp.remove);
let trained: Promise<TrainedModel> | undefined;
const model = () => {
  trained ??= trainSmallModel(tmp.dir, { pair: 'BTC-USD', days: 120, episodes: 1 });
  return trained;
};

const btc = loadRealCandles('BTC_USD');

/**
 * Yahoo on a fake clock: the real BTC-USD candles of ../shared/data in the recorded chart answer,
 * each published 90 s after its hour closed, plus the hour still forming as the last row.
 */
function market(start: number) {
  let now = start;
  const yahoo = yahooChartFetch((p1, p2) => {
    return candleRows(btc, (time) => {
      const published = time + HOUR + 90_000 <= now;
      const forming = time <= now && now < time + HOUR;
      return time >= p1 && time < p2 && (published || forming);
    });
  });
  const sleeps: number[] = [];
  const sleep = async (ms: number, signal: AbortSignal) => {
    if (signal.aborted) return;
    sleeps.push(ms);
    now += Math.max(0, ms);
  };
  return {
    fetch: yahoo.fetch,
    urls: yahoo.urls,
    sleeps,
    sleep,
    clock: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** A live trader on the fake market that stops once it has decided `candles` candles. */
async function trade(m: TrainedModel, ledgerFile: string, mk: ReturnType<typeof market>, candles: number) {
  const stop = new AbortController();
  const statuses: PaperTraderStatus[] = [];
  const logs: string[] = [];
  const trader = new PaperTrader({
    job: { jobId: 'BTC-USD/paper', pair: 'BTC-USD', model: m.modelDir },
    mode: 'live',
    feeRate: 0.001,
    initialCash: 10_000,
    ledgerFile,
    makeFeed: async (agent) =>
      liveFeed({
        pair: 'BTC-USD',
        pollSeconds: 60,
        warmup: agent.warmupCandles,
        deps: { fetch: mk.fetch, now: () => new Date(mk.clock()), sleep: async () => {} },
        sleep: mk.sleep,
      }),
    signal: stop.signal,
    onStatus: (s) => {
      statuses.push(s);
      if (s.candles >= candles) stop.abort();
    },
    log: (line) => logs.push(line),
    sleep: mk.sleep,
    now: mk.clock,
  });
  const outcome = await trader.run();
  return { outcome, statuses, logs, status: trader.status };
}

test.serial(
  'live: one decision per newly closed candle, polled until Yahoo has it; a restart catches up, none twice, none skipped',
  async (t) => {
    const m = await model();
    const ledgerFile = path.join(tmp.dir, 'live', 'ledger.jsonl');
    const start = Date.parse('2023-12-20T10:05:00Z');
    const mk = market(start);
    const first = await trade(m, ledgerFile, mk, 6);
    t.is(first.outcome, 'stopped');
    let ledger = await readLedger(ledgerFile);
    // It starts with the newest closed candle (09:00), then one per hour.
    t.deepEqual(
      ledger.candles.map((l) => l.candleTime.slice(11, 16)),
      ['09:00', '10:00', '11:00', '12:00', '13:00', '14:00'],
    );
    t.true(ledger.candles.every((l) => !l.late));
    // Woken 20 s after each hour, 70 s before Yahoo publishes the candle: one more poll, 60 s later.
    t.true(mk.sleeps.includes(60_000));
    t.is(first.status.mode, 'live');
    t.is(first.status.candlesTotal, null);

    // Down for five hours: the restart decides 15:00 … 19:00 in order, late, then goes on live.
    mk.advance(5 * HOUR);
    const second = await trade(m, ledgerFile, mk, 13);
    t.is(second.outcome, 'stopped');
    t.regex(second.logs.join('\n'), /resuming after 2023-12-20T14:00:00.000Z \(6 candles in the ledger\)/);
    ledger = await readLedger(ledgerFile);
    const times = ledger.candles.map((l) => Date.parse(l.candleTime));
    t.deepEqual(
      times,
      times.map((_, i) => Date.parse('2023-12-20T09:00:00Z') + i * HOUR),
    );
    // Acted on more than two hours after their close: 15:00, 16:00 and 17:00 (back at about 20:01).
    t.deepEqual(
      ledger.candles.map((l) => l.late),
      [false, false, false, false, false, false, true, true, true, false, false, false, false],
    );

    // The decisions and equity are the backtest's over the same hours (starting flat at 09:00).
    const agent = await loadAgent(m.modelDir);
    const bt = backtest(agent, btc, {
      from: times[0]!,
      to: times.at(-1)!,
      feeRate: 0.001,
      initialCash: 10_000,
    });
    agent.dispose();
    assertLedgerIsBacktest(t, ledger.candles, bt);
    // Every download asked for 1h candles; none used the hour still forming.
    t.true(mk.urls.every((u) => u.searchParams.get('interval') === '1h'));
  },
);

test.serial(
  'live: a failed download is reported in the status and asked again; the trader goes on',
  async (t) => {
    const m = await model();
    const ledgerFile = path.join(tmp.dir, 'flaky', 'ledger.jsonl');
    const mk = market(Date.parse('2023-12-10T03:30:00Z'));
    let calls = 0;
    const inner = mk.fetch;
    mk.fetch = (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
      calls++;
      // Calls 2–5: all four attempts of one download fail.
      if (calls >= 2 && calls <= 5) return new Response('busy', { status: 503 });
      return inner(input, init);
    }) as typeof fetch;
    const run = await trade(m, ledgerFile, mk, 3);
    t.is(run.outcome, 'stopped');
    t.true(
      run.statuses.some(
        (s) => s.error?.includes('Yahoo request failed after 4 attempts') || s.error?.includes('HTTP 503'),
      ),
    );
    t.is(run.status.error, null);
    const ledger = await readLedger(ledgerFile);
    t.deepEqual(
      ledger.candles.map((l) => l.candleTime.slice(11, 16)),
      ['02:00', '03:00', '04:00'],
    );
  },
);
