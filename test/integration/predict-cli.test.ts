import test from 'ava';
import { loadAgent } from '../../worker/model/index.js';
import type { Prediction } from '../../worker/predict-command.js';
import { runCli, SHARED_DATA_DIR } from '../helpers/cli.js';
import { loadRealCandles } from '../helpers/real-candles.js';
import { makeTempDir } from '../helpers/temp-dir.js';
import { trainSmallModel } from '../helpers/trained-model.js';

test.serial(
  'predict MODEL_DIR PAIR --data-dir --json: the last closed candle of the file, flagged stale',
  async (t) => {
    const tmp = makeTempDir('tw-predict-cli-');
    t.teardown(tmp.remove);
    const m = await trainSmallModel(tmp.dir, { pair: 'SOL-USD', days: 120 });
    const run = await runCli(['predict', m.modelDir, 'SOL-USD', '--data-dir', SHARED_DATA_DIR, '--json']);
    t.is(run.exitCode, 0, String(run.stderr));
    const p = JSON.parse(String(run.stdout)) as Prediction;
    const candles = loadRealCandles('SOL_USD');
    t.is(p.candleTime, new Date(candles.times.at(-1)!).toISOString());
    t.true(p.stale);
    const agent = await loadAgent(m.modelDir);
    const expected = agent.actions(candles, { from: p.position.since! }).at(-1)!;
    t.is(p.action, expected.action);
    t.deepEqual(p.qValues, expected.qValues);
    agent.dispose();
    const bad = await runCli(['predict', m.modelDir, 'SOL/USD', '--data-dir', SHARED_DATA_DIR]);
    t.is(bad.exitCode, 2);
    t.regex(String(bad.stderr), /^trading-workers: .*SOL\/USD/m);
  },
);
