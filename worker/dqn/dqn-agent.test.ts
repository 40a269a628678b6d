import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import test from 'ava';
import { DEFAULT_HYPERPARAMETERS, type DqnHyperparameters } from '../../shared/hyperparameters.js';
import { InlineMarket } from '../../test/helpers/inline-market.js';
import { loadRealCandles } from '../../test/helpers/real-candles.js';
import { selectBackend } from './backend.js';
import { type AgentCheckpoint, DqnAgent } from './dqn-agent.js';
import type { EngineKind } from './q-engine.js';

// Small budgets so every schedule (warm-up, updates, target syncs, decay) fires within a few hundred steps.
const hp: DqnHyperparameters = {
  ...DEFAULT_HYPERPARAMETERS,
  batchSize: 16,
  replayCapacity: 300,
  warmupSteps: 50,
  trainEvery: 2,
  targetSyncEvery: 40,
  hiddenLayers: [16, 16],
  learningRate: 1e-3,
};

const closes = loadRealCandles('BTC_USD').close.subarray(0, 400);

test.before(async () => {
  await selectBackend('cpu');
});

interface Trace {
  actions: number[];
  losses: (number | null)[];
}

/** Runs `steps` environment steps from the agent's current state on the real BTC closes. */
function run(
  agent: DqnAgent,
  market: InlineMarket,
  steps: number,
  trace: Trace,
  state: { obs: Float32Array },
): void {
  const next = new Float32Array(market.observationSize);
  for (let i = 0; i < steps; i++) {
    const action = agent.act(state.obs);
    const { reward, done } = market.step(action, next);
    const { loss } = agent.observe(state.obs, action, reward, next, done);
    trace.actions.push(action);
    trace.losses.push(loss);
    if (done) market.reset(state.obs);
    else state.obs.set(next);
  }
}

function newAgent(seed: number, engine: EngineKind = 'js', overrides: Partial<DqnHyperparameters> = {}) {
  return new DqnAgent({
    inputSize: 25,
    hyperparameters: { ...hp, ...overrides },
    seed,
    totalSteps: 600,
    engine,
  });
}

function fullRun(seed: number, engine: EngineKind, steps: number) {
  const agent = newAgent(seed, engine);
  const market = new InlineMarket(closes);
  const state = { obs: market.reset(new Float32Array(25)) };
  const trace: Trace = { actions: [], losses: [] };
  run(agent, market, steps, trace, state);
  return { agent, trace };
}

test('same seed → identical actions, losses and weights to the last digit; another seed differs', (t) => {
  const a = fullRun(11, 'js', 400);
  const b = fullRun(11, 'js', 400);
  const c = fullRun(12, 'js', 400);
  t.deepEqual(a.trace, b.trace);
  t.deepEqual(a.agent.onlineParameters(), b.agent.onlineParameters());
  t.notDeepEqual(a.agent.onlineParameters(), c.agent.onlineParameters());
  t.true(a.trace.losses.filter((l) => l !== null).every((l) => Number.isFinite(l)));
});

test('schedules: warm-up, one update every trainEvery steps, epsilon decays linearly then holds', (t) => {
  const agent = newAgent(5);
  t.is(agent.epsilon, 1);
  const { trace } = fullRun(5, 'js', 400);
  // Updates at steps 50, 52, …, 400 (steps counted from 1).
  const updateSteps = trace.losses.flatMap((l, i) => (l === null ? [] : [i + 1]));
  t.is(updateSteps[0], 50);
  t.true(updateSteps.every((s) => s % 2 === 0));
  t.is(updateSteps.length, (400 - 50) / 2 + 1);
  const decay = Math.floor(0.6 * 600);
  const expected = 1 + ((0.05 - 1) * 180) / decay;
  const probe = newAgent(5);
  const market = new InlineMarket(closes);
  const obs = market.reset(new Float32Array(25));
  const next = new Float32Array(25);
  for (let i = 0; i < 180; i++) probe.observe(obs, 0, 0, market.step(0, next) && next, false);
  t.true(Math.abs(probe.epsilon - expected) < 1e-12);
  for (let i = 180; i < decay + 5; i++) probe.observe(obs, 0, 0, next, false);
  t.is(probe.epsilon, 0.05);
  t.is(probe.steps, decay + 5);
});

test('greedy and qValues agree; bad inputs are clear errors', (t) => {
  const agent = newAgent(1);
  const market = new InlineMarket(closes);
  const obs = market.reset(new Float32Array(25));
  const q = agent.qValues(obs, new Float32Array(2));
  t.is(agent.greedy(obs), q[1]! > q[0]! ? 1 : 0);
  t.throws(() => agent.greedy(new Float32Array(3)), { message: /observation has 3 values, expected 25/ });
  t.throws(() => agent.observe(obs, 2, 0, obs, false), { message: /action 2 is outside 0\.\.1/ });
  t.throws(() => agent.observe(obs, 0, Number.NaN, obs, false), { message: /reward must be finite/ });
  t.throws(() => newAgent(1, 'js', { batchSize: 0 }), { message: /hyperparameters\.batchSize/ });
  t.throws(() => newAgent(1, 'gpu' as EngineKind), { message: /unknown engine 'gpu'/ });
});

for (const engine of ['js', 'tfjs'] as const) {
  test(`${engine} engine: checkpoint mid-run, restore, continue → identical to an uninterrupted run`, (t) => {
    const whole = fullRun(21, engine, 330);
    const first = fullRun(21, engine, 170);
    const checkpoint = first.agent.getCheckpoint();
    first.agent.dispose();
    const resumed = DqnAgent.fromCheckpoint(checkpoint);
    // The market is deterministic given the actions, so replay them to rebuild its position.
    const market = new InlineMarket(closes);
    const state = { obs: market.reset(new Float32Array(25)) };
    const next = new Float32Array(25);
    for (const action of first.trace.actions) {
      const { done } = market.step(action, next);
      if (done) market.reset(state.obs);
      else state.obs.set(next);
    }
    const trace: Trace = { actions: [...first.trace.actions], losses: [...first.trace.losses] };
    run(resumed, market, 160, trace, state);
    t.deepEqual(trace, whole.trace);
    t.deepEqual(resumed.getCheckpoint(), whole.agent.getCheckpoint());
    resumed.dispose();
    whole.agent.dispose();
  });
}

test('checkpoint files round-trip bit for bit, replace atomically, and report damage clearly', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dqn-checkpoint-'));
  try {
    const { agent } = fullRun(8, 'js', 120);
    await agent.writeCheckpoint(dir);
    const restored = await DqnAgent.readCheckpoint(dir);
    t.deepEqual(restored.getCheckpoint(), agent.getCheckpoint());
    // A second write replaces the pair and leaves exactly one binary and no temp files.
    const more = fullRun(9, 'js', 60).agent;
    await more.writeCheckpoint(dir);
    const files = await readdir(dir);
    t.is(files.length, 2);
    t.true(files.includes('checkpoint.json'));
    const bin = files.find((f) => f !== 'checkpoint.json')!;
    t.regex(bin, /^checkpoint-[0-9a-f]{16}\.bin$/);
    t.deepEqual((await DqnAgent.readCheckpoint(dir)).getCheckpoint(), more.getCheckpoint());
    // Damage: wrong field, then corrupted binary.
    const jsonPath = path.join(dir, 'checkpoint.json');
    const json = JSON.parse(await readFile(jsonPath, 'utf8')) as Record<string, unknown>;
    await writeFile(jsonPath, JSON.stringify({ ...json, steps: -1 }));
    await t.throwsAsync(DqnAgent.readCheckpoint(dir), { message: /checkpoint\.json: steps/ });
    await writeFile(jsonPath, JSON.stringify(json));
    await writeFile(path.join(dir, bin), 'garbage');
    await t.throwsAsync(DqnAgent.readCheckpoint(dir), { message: /bytes, .*checkpoint\.json expects/ });
    await t.throwsAsync(DqnAgent.readCheckpoint(path.join(dir, 'nope')), {
      message: /cannot read checkpoint/,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a js checkpoint loads into the tfjs engine with the same Q-values (within float tolerance)', (t) => {
  const { agent } = fullRun(4, 'js', 150);
  const checkpoint: AgentCheckpoint = agent.getCheckpoint();
  const asTfjs = DqnAgent.fromCheckpoint(checkpoint, 'tfjs');
  t.is(asTfjs.engineKind, 'tfjs');
  const market = new InlineMarket(closes);
  const obs = market.observationAt(30, 1);
  const qa = agent.qValues(obs, new Float32Array(2));
  const qb = asTfjs.qValues(obs, new Float32Array(2));
  for (let a = 0; a < 2; a++) t.true(Math.abs(qa[a]! - qb[a]!) <= 1e-5 * Math.max(1, Math.abs(qa[a]!)));
  asTfjs.dispose();
});

test.serial('tfjs engine: tf.memory().numTensors is the same after every episode', (t) => {
  const agent = newAgent(3, 'tfjs');
  const market = new InlineMarket(closes.subarray(0, 150));
  const obs = new Float32Array(25);
  const next = new Float32Array(25);
  const counts: number[] = [];
  for (let episode = 0; episode < 4; episode++) {
    market.reset(obs);
    for (;;) {
      const action = agent.act(obs);
      const { reward, done } = market.step(action, next);
      agent.observe(obs, action, reward, next, done);
      obs.set(next);
      if (done) break;
    }
    counts.push(tf.memory().numTensors);
  }
  t.true(agent.updates > 0);
  t.deepEqual(
    counts,
    counts.map(() => counts[0]),
  );
  agent.dispose();
});
