import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_HYPERPARAMETERS, type DqnHyperparameters } from '../shared/hyperparameters.js';
import { type BackendName, selectBackend } from '../worker/dqn/backend.js';
import { DqnAgent } from '../worker/dqn/dqn-agent.js';
import type { EngineKind } from '../worker/dqn/q-engine.js';
import { LayersApiDqn } from './baseline-dqn.js';
import { loadBenchMarket } from './bench-market.js';
import { type Contender, episodesMemory, type Measurement, measure } from './measure.js';

/*
 * `npm run bench [-- --json] [-- --scale 0.5]`: the speed of one DQN job on the real BTC-USD year,
 * with the default hyperparameters, for the common layers-API DQN (the baseline), our tfjs engine,
 * and the JS kernel, on every tfjs backend available, in one run. Step counts are fixed so the run
 * stays well under two minutes; --scale multiplies them.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA_FILE = path.resolve(ROOT, '../shared/data/BTC_USD_data.csv');
const SEED = 7;
// Measured at the end of the epsilon schedule, where a forward pass runs on 95% of steps: the
// costly steady state of a job. Every other hyperparameter is the default (batch 64, train every 4).
const EPSILON = DEFAULT_HYPERPARAMETERS.epsilonEnd;
const HP: DqnHyperparameters = { ...DEFAULT_HYPERPARAMETERS, epsilonStart: EPSILON, epsilonEnd: EPSILON };

interface Row extends Measurement {
  implementation: 'baseline-layers-api' | 'tfjs-engine' | 'js-kernel';
  backend: string;
  /** This row's env steps/s over the baseline's on the same backend (the JS kernel: per backend). */
  ratioToBaseline: Record<string, number>;
}

function args() {
  const argv = process.argv.slice(2);
  const scaleAt = argv.indexOf('--scale');
  const scale = scaleAt >= 0 ? Number(argv[scaleAt + 1]) : 1;
  if (!(scale > 0)) throw new Error(`bench: --scale must be a positive number, got ${argv[scaleAt + 1]}`);
  return { json: argv.includes('--json'), scale };
}

function agentContender(
  inputSize: number,
  engine: EngineKind,
  totalSteps: number,
  overrides: Partial<DqnHyperparameters> = {},
): Contender & { agent: DqnAgent } {
  const agent = new DqnAgent({
    inputSize,
    hyperparameters: { ...HP, ...overrides },
    seed: SEED,
    totalSteps,
    engine,
  });
  return {
    agent,
    act: (obs) => agent.act(obs),
    observe: (obs, action, reward, next, done) => agent.observe(obs, action, reward, next, done),
    get updates() {
      return agent.updates;
    },
    dispose: () => agent.dispose(),
  };
}

function baselineContender(inputSize: number): Contender {
  const dqn = new LayersApiDqn(inputSize, HP, SEED);
  return {
    act: (obs) => dqn.act(obs, EPSILON),
    observe: (obs, action, reward, next, done) => dqn.observe(obs, action, reward, next, done),
    get updates() {
      return dqn.updates;
    },
    dispose: () => dqn.dispose(),
  };
}

const fmt = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  const { json, scale } = args();
  const log = json ? () => {} : (line: string) => console.log(line);
  const started = performance.now();
  const market = await loadBenchMarket(DATA_FILE, 'BTC-USD');
  const probe = market.create();
  const inputSize = probe.observationSize;
  const totalSteps = probe.steps * 10;
  const steps = {
    baseline: Math.round(800 * scale),
    tfjs: Math.round(1600 * scale),
    js: Math.round(8000 * scale),
  };
  log(`DQN speed on BTC-USD: ${market.source}`);
  log(
    `default hyperparameters (batch ${HP.batchSize}, train every ${HP.trainEvery}, hidden ${HP.hiddenLayers.join('×')}), epsilon held at ${EPSILON}; timed after ${HP.warmupSteps} prefilled warm-up steps`,
  );

  const rows: Row[] = [];
  const backends: BackendName[] = [];
  for (const wanted of ['cpu', 'wasm', 'tfjs-node'] as const) {
    const got = await selectBackend(wanted);
    if (got !== wanted) continue;
    backends.push(got);
    const base = baselineContender(inputSize);
    const baseline = await measure(base, market, HP.warmupSteps, steps.baseline);
    base.dispose();
    rows.push({
      implementation: 'baseline-layers-api',
      backend: got,
      ...baseline,
      ratioToBaseline: { [got]: 1 },
    });
    const ours = agentContender(inputSize, 'tfjs', totalSteps);
    const tfjsEngine = await measure(ours, market, HP.warmupSteps, steps.tfjs);
    ours.dispose();
    rows.push({
      implementation: 'tfjs-engine',
      backend: got,
      ...tfjsEngine,
      ratioToBaseline: { [got]: tfjsEngine.stepsPerSecond / baseline.stepsPerSecond },
    });
  }
  const js = agentContender(inputSize, 'js', totalSteps);
  const kernel = await measure(js, market, HP.warmupSteps, steps.js);
  js.dispose();
  const ratios: Record<string, number> = {};
  for (const row of rows) {
    if (row.implementation === 'baseline-layers-api')
      ratios[row.backend] = kernel.stepsPerSecond / row.stepsPerSecond;
  }
  rows.push({ implementation: 'js-kernel', backend: 'own wasm-simd', ...kernel, ratioToBaseline: ratios });

  log('');
  log(
    `${'implementation'.padEnd(22)}${'backend'.padEnd(17)}${'steps'.padStart(7)}${'env steps/s'.padStart(13)}${'updates/s'.padStart(11)}  × baseline (same backend)`,
  );
  for (const row of rows) {
    const ratio = Object.entries(row.ratioToBaseline)
      .map(([b, r]) => `${fmt(r, 1)}× ${b}`)
      .join(', ');
    log(
      `${row.implementation.padEnd(22)}${row.backend.padEnd(17)}${String(row.steps).padStart(7)}${fmt(row.stepsPerSecond).padStart(13)}${fmt(row.updatesPerSecond).padStart(11)}  ${ratio}`,
    );
  }

  // Memory: a worker's footprint must stay flat across episodes (no tensor leak).
  const active = await selectBackend();
  const rssBefore = process.memoryUsage().rss;
  const jsAgent = agentContender(inputSize, 'js', probe.steps * 3);
  const jsMemory = await episodesMemory(jsAgent, market.create(), 3, () => tf.memory().numTensors);
  jsAgent.dispose();
  // Short episodes and an early first update keep this part quick; it checks memory, not speed.
  // The first update (which creates Adam's moment tensors) must fall inside the first episode.
  const shortSteps = Math.round(600 * Math.min(1, scale));
  const shortWarmup = Math.max(HP.batchSize, Math.floor(shortSteps / 3));
  const tfjsAgent = agentContender(inputSize, 'tfjs', shortSteps * 3, { warmupSteps: shortWarmup });
  const tfjsMemory = await episodesMemory(
    tfjsAgent,
    market.create(shortSteps),
    3,
    () => tf.memory().numTensors,
  );
  tfjsAgent.dispose();
  const rssAfter = process.memoryUsage().rss;
  const memory = {
    jsKernel: { episodes: 3, stepsPerEpisode: probe.steps, backend: active, ...jsMemory },
    tfjsEngine: {
      episodes: 3,
      stepsPerEpisode: shortSteps,
      warmupSteps: shortWarmup,
      backend: active,
      ...tfjsMemory,
    },
    rssMiBBefore: Math.round(rssBefore / 2 ** 20),
    rssMiBAfter: Math.round(rssAfter / 2 ** 20),
  };
  log('');
  log(`memory (tfjs backend ${active}), tf.memory().numTensors after each episode:`);
  log(
    `  js kernel, 3 full episodes of ${probe.steps} steps: [${jsMemory.numTensors.join(', ')}], RSS MiB [${jsMemory.rssMiB.join(', ')}]`,
  );
  log(
    `  tfjs engine, 3 episodes of ${shortSteps} steps (warm-up ${shortWarmup}): [${tfjsMemory.numTensors.join(', ')}], RSS MiB [${tfjsMemory.rssMiB.join(', ')}]`,
  );
  log(`  RSS before ${memory.rssMiBBefore} MiB, after ${memory.rssMiBAfter} MiB`);
  const seconds = (performance.now() - started) / 1000;
  log(`\n${fmt(seconds, 1)} s in all; Node ${process.version}`);
  if (json) {
    console.log(
      JSON.stringify({
        schema: 1,
        pair: 'BTC-USD',
        data: market.source,
        inputSize,
        hyperparameters: HP,
        epsilon: EPSILON,
        warmupSteps: HP.warmupSteps,
        backends,
        results: rows,
        memory,
        seconds,
        node: process.version,
      }),
    );
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${(error as Error).stack ?? String(error)}`);
  process.exitCode = 1;
});
