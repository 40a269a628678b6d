import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import test from 'ava';
import { DEFAULT_HYPERPARAMETERS } from '../../shared/hyperparameters.js';
import { InlineMarket } from '../../test/helpers/inline-market.js';
import { loadRealCandles } from '../../test/helpers/real-candles.js';
import { selectBackend } from './backend.js';
import { DqnAgent } from './dqn-agent.js';
import { greedyActionsFromModel, loadModel, type ModelMetadata, saveModel } from './model-io.js';

const hp = { ...DEFAULT_HYPERPARAMETERS, batchSize: 32, warmupSteps: 64, replayCapacity: 2000 };

async function trainedAgentAndObservations() {
  const market = new InlineMarket(loadRealCandles('ETH_USD').close.subarray(0, 1200));
  const agent = new DqnAgent({ inputSize: 25, hyperparameters: hp, seed: 99, totalSteps: 1000 });
  const obs = market.reset(new Float32Array(25));
  const next = new Float32Array(25);
  for (let i = 0; i < 1000; i++) {
    const action = agent.act(obs);
    const { reward, done } = market.step(action, next);
    agent.observe(obs, action, reward, next, done);
    if (done) market.reset(obs);
    else obs.set(next);
  }
  // Real observations across the data, with both positions.
  const rows = Array.from({ length: 400 }, (_, i) => market.observationAt(i * 2, i % 2));
  return { agent, rows };
}

const metadata: ModelMetadata = {
  schema: 1,
  featureSettings: { version: 1, windowSize: 24, returnScale: 100 },
  featureVersion: 1,
  inputSize: 25,
  hiddenLayers: [64, 64],
  actionMeanings: ['flat', 'long'],
  extra: { pair: 'ETH-USD', seed: 99 },
};

test.before(async () => {
  await selectBackend();
});

test.serial('save → load reproduces the JS kernel’s greedy actions on real observations', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dqn-model-'));
  try {
    const { agent, rows } = await trainedAgentAndObservations();
    await saveModel(dir, agent.onlineParameters(), metadata);
    const { model, metadata: loaded } = await loadModel(dir);
    t.deepEqual(loaded, metadata);
    const fromModel = greedyActionsFromModel(model, rows);
    const fromAgent = Uint8Array.from(rows, (row) => agent.greedy(row));
    t.deepEqual(fromModel, fromAgent);
    // Both actions occur, so agreement is not trivial.
    t.true(fromAgent.includes(0) && fromAgent.includes(1));
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    t.is(json.format, 'layers-model');
    t.deepEqual(json.weightsManifest[0].paths, ['./weights.bin']);
    t.deepEqual(json.userDefinedMetadata, metadata);
    t.is((await readFile(path.join(dir, 'weights.bin'))).length, agent.onlineParameters().length * 4);
    model.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.serial('a plain tf.loadLayersModel of the saved model.json works (served over http)', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dqn-model-'));
  const server = createServer(async (req, res) => {
    try {
      res.end(await readFile(path.join(dir, path.basename(req.url ?? ''))));
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  try {
    const { agent, rows } = await trainedAgentAndObservations();
    await saveModel(dir, agent.onlineParameters(), metadata);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const model = await tf.loadLayersModel(`http://127.0.0.1:${port}/model.json`);
    const flat = new Float32Array(rows.length * 25);
    rows.forEach((row, i) => {
      flat.set(row, i * 25);
    });
    t.deepEqual(
      greedyActionsFromModel(model, flat),
      Uint8Array.from(rows, (row) => agent.greedy(row)),
    );
    model.dispose();
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test.serial('missing or damaged files are errors naming the file; inference frees its tensors', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dqn-model-'));
  try {
    await t.throwsAsync(loadModel(dir), { message: /model\.json: cannot read model/ });
    const { agent, rows } = await trainedAgentAndObservations();
    await saveModel(dir, agent.onlineParameters(), metadata);
    const { model } = await loadModel(dir);
    const before = tf.memory().numTensors;
    greedyActionsFromModel(model, rows);
    t.is(tf.memory().numTensors, before);
    t.throws(() => greedyActionsFromModel(model, [new Float32Array(3)]), {
      message: /observation 0 has 3 values/,
    });
    model.dispose();
    await writeFile(
      path.join(dir, 'feature-settings.json'),
      JSON.stringify({ ...metadata, actionMeanings: [] }),
    );
    await t.throwsAsync(loadModel(dir), { message: /feature-settings\.json: actionMeanings/ });
    await t.throwsAsync(saveModel(dir, agent.onlineParameters(), { ...metadata, inputSize: 0 }), {
      message: /saveModel metadata: inputSize/,
    });
    await t.throwsAsync(saveModel(dir, new Float32Array(10), metadata), { message: /10 parameters given/ });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
