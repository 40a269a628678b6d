import path from 'node:path';
import test from 'ava';
import type { DataSettings } from '../shared/index.js';
import { candleRows, loadRealCandles, SHARED_DATA_DIR } from '../test/helpers/real-candles.js';
import { makeTempDir } from '../test/helpers/temp-dir.js';
import { type TrainedModel, trainSmallModel } from '../test/helpers/trained-model.js';
import { yahooChartFetch } from '../test/helpers/yahoo-chart-replay.js';
import { loadAgent, writeEnsembleManifest } from './model/index.js';
import { formatPrediction, type PredictCommandOptions, predict } from './predict-command.js';

const tmp = makeTempDir('tw-predict-');
test.after.always(tmp.remove);
let trained: Promise<TrainedModel> | undefined;
const model = () => {
  trained ??= trainSmallModel(tmp.dir, { pair: 'BTC-USD', days: 120, episodes: 1 });
  return trained;
};

const HOUR = 3_600_000;
const btc = loadRealCandles('BTC_USD');
const LAST = btc.times[btc.times.length - 1]!; // 2023-12-30T19:00Z, closed at 20:00

/** Yahoo as it answers at `now`: the real candles, plus the hour still forming as its last row, on the grid. */
function yahooAt(now: number) {
  return yahooChartFetch((p1, p2) => {
    const rows = candleRows(btc, (time) => time >= p1 && time < Math.min(p2, LAST + HOUR));
    // A wild price, so a prediction that read it would differ.
    rows.push({ time: LAST + HOUR, open: 1, high: 999_999, low: 1, close: 999_999, volume: 1e9 });
    if (p2 < LAST + HOUR || now < LAST + HOUR)
      throw new Error('the test clock must be in the hour after LAST');
    return rows;
  });
}

const settings = (source: DataSettings['source']): DataSettings => ({
  source,
  days: 365,
  interval: '1h',
  cacheDir: path.join(tmp.dir, 'cache'),
  dataDir: source === 'data-dir' ? SHARED_DATA_DIR : null,
  refresh: false,
});

const options = (
  data: DataSettings,
  now: number,
  extra: Partial<PredictCommandOptions> = {},
): PredictCommandOptions => ({
  model: '',
  pair: 'BTC-USD',
  data,
  position: null,
  json: false,
  now: () => new Date(now),
  ...extra,
});

test.serial(
  'predict from Yahoo ignores the candle still forming (recorded chart answer, fixed clock)',
  async (t) => {
    const m = await model();
    const agent = await loadAgent(m.modelDir);
    const now = LAST + HOUR + 25 * 60_000; // 20:25, the 20:00 candle is forming
    const yahoo = yahooAt(now);
    const p = await predict(agent, options(settings('yahoo'), now, { fetch: yahoo.fetch }));
    t.is(yahoo.urls.length, 1);
    t.is(yahoo.urls[0]!.searchParams.get('interval'), '1h');
    t.is(p.candleTime, new Date(LAST).toISOString());
    t.is(p.closeTime, '2023-12-30T20:00:00.000Z');
    t.is(p.close, btc.close[btc.close.length - 1]!);
    t.is(p.formingDropped, 1);
    t.false(p.stale);
    // The same decision as actions() on the real candles up to 19:00, from the same start.
    const expected = agent.actions(btc, { from: p.position.since! }).at(-1)!;
    t.is(p.action, expected.action);
    t.deepEqual(p.qValues, expected.qValues);
    t.is(p.position.value, expected.position);
    t.is(p.position.source, 'own decisions');
    t.is(p.position.since, new Date(LAST - 168 * HOUR).toISOString());
    // The cache or --data-dir with the same hours give the same answer.
    const fromFile = await predict(agent, options(settings('data-dir'), now));
    t.deepEqual({ ...fromFile, data: null, formingDropped: 1 }, { ...p, data: null });
    agent.dispose();
  },
);

test.serial('a candle whose hour has not ended is never used, whatever the source', async (t) => {
  const m = await model();
  const agent = await loadAgent(m.modelDir);
  // 19:59: the 19:00 candle is in the file but still forming at this clock.
  const p = await predict(agent, options(settings('data-dir'), LAST + HOUR - 60_000));
  t.is(p.candleTime, new Date(LAST - HOUR).toISOString());
  t.is(p.formingDropped, 1);
  t.is(p.close, btc.close[btc.close.length - 2]!);
  agent.dispose();
});

test.serial(
  'a given position is used as is; a stale file is flagged; the text leads with the action',
  async (t) => {
    const m = await model();
    const agent = await loadAgent(m.modelDir);
    const now = Date.parse('2024-01-05T12:00:00Z');
    const p = await predict(agent, options(settings('data-dir'), now, { position: 'long' }));
    const expected = agent.actions(btc, { from: LAST, position: 'long' });
    t.is(expected.length, 1);
    t.is(p.action, expected[0]!.action);
    t.deepEqual(p.position, { value: 'long', source: 'given', since: null });
    t.true(p.stale);
    const text = formatPrediction(p);
    t.regex(
      text,
      new RegExp(
        `^BTC-USD: ${p.action.toUpperCase()} at the close of the 2023-12-30T19:00 candle \\(closed 20:00 UTC, close ${p.close}\\)`,
      ),
    );
    t.regex(
      text,
      /\n {2}Q\(flat\) -?\d+\.\d{4} {2}Q\(long\) -?\d+\.\d{4}\n {2}assumes position: long \(given\)\n {2}STALE: the last closed candle ended at 2023-12-30T20:00, now is 2024-01-05T12:00/,
    );
    agent.dispose();
  },
);

test.serial('an ensemble answers with its votes and every member’s Q-values', async (t) => {
  const m = await model();
  const manifest = await writeEnsembleManifest(path.join(tmp.dir, 'ens'), {
    pair: 'BTC-USD',
    members: [{ dir: m.modelDir }, { dir: m.modelDir }, { dir: m.modelDir }],
    chosenBy: 'test',
  });
  const ensemble = await loadAgent(manifest);
  const single = await loadAgent(m.modelDir);
  const now = LAST + HOUR + 60_000;
  const p = await predict(ensemble, options(settings('data-dir'), now));
  const one = await predict(single, options(settings('data-dir'), now));
  t.is(p.action, one.action);
  t.deepEqual(p.qValues, [one.qValues[0], one.qValues[0], one.qValues[0]]);
  t.deepEqual(p.votes, one.action === 'long' ? [0, 3] : [3, 0]);
  t.regex(
    formatPrediction(p),
    /\n {2}votes: [03] long, [03] flat of 3 \(a tie holds cash\)\n {2}member 1: Q\(flat\)/,
  );
  ensemble.dispose();
  single.dispose();
});
