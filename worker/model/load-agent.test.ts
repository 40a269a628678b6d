import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { execa } from 'execa';
import { DEFAULT_ENVIRONMENT } from '../../shared/index.js';
import { makeTempDir } from '../../test/helpers/temp-dir.js';
import { type TrainedModel, trainSmallModel } from '../../test/helpers/trained-model.js';
import { DqnAgent, greedyActionsFromModel, loadModel, WEIGHTS_BIN } from '../dqn/index.js';
import { evaluatePolicy } from '../evaluate.js';
import { writeEnsembleManifest } from './ensemble-manifest.js';
import { loadAgent } from './load-agent.js';

const tmp = makeTempDir('tw-load-agent-');
test.after.always(tmp.remove);
let trained: Promise<TrainedModel> | undefined;
// One freshly trained model (real BTC-USD candles, the worker's own trainJob) for every test here.
const model = () => {
  trained ??= trainSmallModel(tmp.dir, { pair: 'BTC-USD', days: 120, episodes: 1 });
  return trained;
};

/** The training code's greedy agent with the saved weights (weights.bin holds them in mlp.ts order). */
async function trainingAgent(m: TrainedModel): Promise<DqnAgent> {
  const bytes = await fs.readFile(path.join(m.modelDir, WEIGHTS_BIN));
  const params = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const agent = new DqnAgent({
    inputSize: m.prepared.features.width + 1,
    hyperparameters: m.result.hyperparameters,
    seed: 1,
    totalSteps: 1,
  });
  agent.setOnlineParameters(params);
  return agent;
}

test.serial(
  'loadAgent on a freshly trained model acts as the training code does, Q-values included',
  async (t) => {
    const m = await model();
    const { series, test: held } = m.prepared;
    const dqn = await trainingAgent(m);
    const run = evaluatePolicy((o) => dqn.greedy(o), series, m.prepared.features, {
      start: held.start,
      end: held.end,
    });
    const agent = await loadAgent(m.modelDir);
    const actions = agent.actions(series, { from: series.times[held.start], to: series.times[held.end - 2] });
    t.is(actions.length, run.positions.length);
    t.deepEqual(
      Uint8Array.from(actions, (a) => (a.action === 'long' ? 1 : 0)),
      run.positions,
    );
    // Both actions occur, so agreement is not trivial.
    t.true(run.positions.includes(0) && run.positions.includes(1));
    // The position fed back is the previous action, starting flat.
    t.is(actions[0]!.position, 'flat');
    t.true(actions.slice(1).every((a, i) => a.position === actions[i]!.action));
    // Bit-identical Q-values: the same forward pass as the training evaluation.
    const q = new Float32Array(2);
    const width = m.prepared.features.width;
    const observation = new Float32Array(width + 1);
    for (const a of actions.slice(0, 50)) {
      observation.set(m.prepared.features.data.subarray(a.index * width, (a.index + 1) * width));
      observation[width] = a.position === 'long' ? 1 : 0;
      dqn.qValues(observation, q);
      t.deepEqual(a.qValues, [Array.from(q)]);
    }
    t.is(agent.kind, 'model');
    t.is(agent.pair, 'BTC-USD');
    t.is(agent.models[0]!.heldOutFrom, Date.parse(m.result.data!.testFrom));
    dqn.dispose();
    agent.dispose();
  },
);

test.serial(
  'the TensorFlow.js engine and model.predict give the same actions on the real test slice',
  async (t) => {
    const m = await model();
    const { series, test: held } = m.prepared;
    const kernel = await loadAgent(m.modelDir);
    const viaTfjs = await loadAgent(m.modelDir, { engine: 'tfjs' });
    const from = series.times[held.start];
    const a = kernel.actions(series, { from });
    const b = viaTfjs.actions(series, { from });
    t.deepEqual(
      b.map((x) => x.action),
      a.map((x) => x.action),
    );
    for (let i = 0; i < a.length; i += 37) {
      t.true(Math.abs(a[i]!.qValues[0]![1]! - b[i]!.qValues[0]![1]!) < 1e-4);
    }
    // And a bare tfjs model.predict on the same observations.
    const { model: layers } = await loadModel(m.modelDir);
    const width = m.prepared.features.width;
    const rows = a.map((x) => {
      const row = new Float32Array(width + 1);
      row.set(m.prepared.features.data.subarray(x.index * width, (x.index + 1) * width));
      row[width] = x.position === 'long' ? 1 : 0;
      return row;
    });
    t.deepEqual(
      Array.from(greedyActionsFromModel(layers, rows), (x) => (x === 1 ? 'long' : 'flat')),
      a.map((x) => x.action),
    );
    layers.dispose();
    kernel.dispose();
    viaTfjs.dispose();
  },
);

test.serial('candles as rows (time or Date) give the same actions as columns', async (t) => {
  const m = await model();
  const s = m.prepared.series;
  const rows = Array.from(s.times, (time, i) => ({
    date: new Date(time),
    open: s.open[i]!,
    high: s.high[i]!,
    low: s.low[i]!,
    close: s.close[i]!,
    volume: s.volume[i]!,
  }));
  const agent = await loadAgent(m.modelDir);
  const from = new Date(s.times[s.times.length - 100]!).toISOString();
  t.deepEqual(agent.actions(rows, { from }), agent.actions(s, { from }));
  t.throws(() => agent.actions(rows.slice(0, 100)), {
    message: /100 candles give no decision; the features need 168 earlier candles/,
  });
  const swapped = [...rows.slice(0, 200)];
  [swapped[10], swapped[11]] = [swapped[11]!, swapped[10]!];
  t.throws(() => agent.actions(swapped), {
    message: /^candles\[11\]: time .* is not after the candle before it/,
  });
  agent.dispose();
});

test.serial(
  'a model whose feature settings do not match the code is refused, naming the difference',
  async (t) => {
    const m = await model();
    const file = path.join(m.modelDir, 'feature-settings.json');
    const original = JSON.parse(await fs.readFile(file, 'utf8'));
    const copy = path.join(tmp.dir, 'mismatch');
    await fs.cp(m.modelDir, copy, { recursive: true });
    type Meta = {
      featureVersion: number;
      inputSize: number;
      actionMeanings: string[];
      featureSettings: { version: number; windowSize: number; names: string[] };
    };
    // The default window's features: W lagged returns and 8 more (volatility, range, RSI, …).
    const W = DEFAULT_ENVIRONMENT.windowSize;
    const F = W + 8;
    const cases: [string, (meta: Meta) => void, RegExp][] = [
      ['version', (x) => (x.featureVersion = 2), /featureVersion is 2, this code computes feature version 1/],
      ['settings version', (x) => (x.featureSettings.version = 3), /featureSettings\.version is 3/],
      [
        'window',
        (x) => (x.featureSettings.windowSize = 24),
        new RegExp(`input ${W} is "vol_24h" in the file, "logret_lag${W}" in this code \\(window 24\\)`),
      ],
      [
        'names',
        (x) => (x.featureSettings.names[3] = 'rsi_7'),
        /input 3 is "rsi_7" in the file, "logret_lag3" in this code/,
      ],
      [
        'extra input',
        (x) => x.featureSettings.names.push('funding_rate'),
        new RegExp(`names ${F + 1} features, this code computes ${F}: "funding_rate" is unknown`),
      ],
      [
        'inputs',
        (x) => (x.inputSize = 30),
        new RegExp(
          `inputSize is 30, the features of window ${W} give ${F} inputs \\+ the position = ${F + 1}`,
        ),
      ],
      [
        'actions',
        (x) => (x.actionMeanings = ['flat', 'short']),
        /actionMeanings are \[flat, short\], this code trades \[flat, long\]/,
      ],
    ];
    for (const [what, change, message] of cases) {
      const meta = structuredClone(original);
      change(meta);
      await fs.writeFile(path.join(copy, 'feature-settings.json'), JSON.stringify(meta));
      const error = await t.throwsAsync(loadAgent(copy), undefined, what);
      t.regex(error?.message ?? '', message, what);
      t.true(error?.message.startsWith(path.join(copy, 'feature-settings.json')), what);
    }
    await t.throwsAsync(loadAgent(path.join(tmp.dir, 'nothing-here')), {
      message: /not a model folder \(no model\.json\) and not an ensemble \(no ensemble\.json\)/,
    });
  },
);

test.serial('an ensemble of one model equals that model', async (t) => {
  const m = await model();
  const { series, test: held } = m.prepared;
  const single = await loadAgent(m.modelDir);
  const manifest = await writeEnsembleManifest(path.join(tmp.dir, 'ens-one'), {
    pair: 'BTC-USD',
    members: [{ dir: m.modelDir }],
    chosenBy: 'test: one model',
  });
  const ensemble = await loadAgent(path.dirname(manifest));
  t.is(ensemble.kind, 'ensemble');
  const from = series.times[held.start];
  t.deepEqual(ensemble.actions(series, { from }), single.actions(series, { from }));
  t.is(ensemble.randomSeed, single.randomSeed);
  single.dispose();
  ensemble.dispose();
});

test.serial('plain @tensorflow/tfjs loads it, with tfjs-node made impossible to import', async (t) => {
  const m = await model();
  const fixture = path.join(import.meta.dirname, '../../test/fixtures/plain-tfjs-actions.ts');
  const hook = path.join(import.meta.dirname, '../../test/fixtures/no-tfjs-node.mjs');
  const run = await execa(process.execPath, ['--import', hook, '--import', 'tsx', fixture, m.modelDir], {
    reject: false,
    cwd: path.join(import.meta.dirname, '../..'),
  });
  t.is(run.exitCode, 0, String(run.stderr));
  const printed = JSON.parse(String(run.stdout)) as { tfjsNode: string; backend: string; actions: string[] };
  t.regex(printed.tfjsNode, /Cannot find (package|module) '@tensorflow\/tfjs-node'/);
  t.not(printed.backend, 'tensorflow');
  const agent = await loadAgent(m.modelDir);
  const s = m.prepared.series;
  t.deepEqual(
    printed.actions,
    agent.actions(s, { from: s.times[s.times.length - 300] }).map((a) => a.action),
  );
  agent.dispose();
});

test('the package exports the model module (built file and its types)', async (t) => {
  const root = path.join(import.meta.dirname, '../..');
  const pkg = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8'));
  const entry = pkg.exports['./model'];
  t.is(entry.default, './dist/worker/model/index.js');
  t.is(entry.types, './dist/worker/model/index.d.ts');
  // The resolver maps the public name onto that file (self-reference through "exports").
  t.is(
    import.meta.resolve('ai-trading-workers/model'),
    new URL('dist/worker/model/index.js', `file://${root}/`).href,
  );
  const tsconfig = JSON.parse(await fs.readFile(path.join(root, 'tsconfig.json'), 'utf8'));
  t.true(tsconfig.compilerOptions.declaration);
  t.true(tsconfig.include.includes('worker'));
});
