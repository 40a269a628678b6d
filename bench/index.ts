import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_HYPERPARAMETERS, type DqnHyperparameters } from '../shared/hyperparameters.js';
import { type BackendName, selectBackend } from '../worker/dqn/backend.js';
import { DqnAgent } from '../worker/dqn/dqn-agent.js';
import { simdAvailable } from '../worker/dqn/kernel-ops.js';
import type { EngineKind } from '../worker/dqn/q-engine.js';
import { LayersApiDqn } from './baseline-dqn.js';
import { type BenchMarket, loadBenchMarket } from './bench-market.js';
import { type JobLoopMeasurement, measureJobLoop } from './job-loop.js';
import { type Contender, type Measurement, measure } from './measure.js';
import { type BenchOptions, parseBenchArgs, UsageError } from './options.js';

/*
 * `npm run bench [-- --json] [-- --scale 0.5] [-- --rounds 3] [-- --only job|kernel|fleet|plan]`. By
 * default the first three sections below; `--only fleet` (bench/fleet.ts) and `--only plan`
 * (bench/full-plan.ts) are separate benches run only when asked for. On the real
 * BTC-USD year with the default hyperparameters:
 *   1. a whole job as a worker runs it (10 episodes, validation after each, checkpoints, the final
 *      evaluation and model save) with the RSS after every episode;
 *   2. the bare training loop (act, environment, replay, an update every 4 steps) of the common
 *      layers-API DQN (the baseline), our tfjs engine and our kernel on every tfjs backend, the
 *      kernel and the wasm baseline measured in alternating rounds so their ratio shares the load;
 *   3. tf.memory().numTensors after every episode of a short job on the tfjs engine.
 * Step counts are fixed so a run stays around a minute on a quiet machine; --scale multiplies them.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DATA_FILE = path.resolve(ROOT, '../shared/data/BTC_USD_data.csv');
const SEED = 7;
// The bare loop is measured at the end of the epsilon schedule, where a forward pass runs on 95% of
// steps: the costly steady state of a job. Every other hyperparameter is the default.
const EPSILON = DEFAULT_HYPERPARAMETERS.epsilonEnd;
const HP: DqnHyperparameters = { ...DEFAULT_HYPERPARAMETERS, epsilonStart: EPSILON, epsilonEnd: EPSILON };
const JOB_EPISODES = 10;

type Implementation = 'baseline-layers-api' | 'tfjs-engine' | 'js-kernel';

interface Row extends Measurement {
  implementation: Implementation;
  backend: string;
  /** This row's env steps/s over the baseline's on the same backend (the kernel: on each backend). */
  ratioToBaseline: Record<string, number>;
}

function agentContender(inputSize: number, engine: EngineKind, totalSteps: number): Contender {
  const agent = new DqnAgent({ inputSize, hyperparameters: HP, seed: SEED, totalSteps, engine });
  return {
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

async function timed(contender: Contender, market: BenchMarket, steps: number): Promise<Measurement> {
  try {
    return await measure(contender, market, HP.warmupSteps, steps);
  } finally {
    contender.dispose();
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The measurement of median speed among rounds (its own figures, not a mix). */
const medianRound = (rounds: Measurement[]) => {
  const speed = median(rounds.map((r) => r.stepsPerSecond));
  return rounds.reduce((a, b) =>
    Math.abs(b.stepsPerSecond - speed) < Math.abs(a.stepsPerSecond - speed) ? b : a,
  );
};

const fmt = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Section 2: the bare training loop of every implementation on every backend. */
async function measureKernels(
  market: BenchMarket,
  options: BenchOptions,
  log: (line: string) => void,
): Promise<{
  rows: Row[];
  backends: BackendName[];
  kernelRounds: Measurement[];
  wasmRounds: Measurement[];
  /** The kernel's speed over the wasm baseline's in the same round. */
  ratioRoundsVsWasm: (number | null)[];
  /** The same in steps per CPU-second (less sensitive to other processes on the machine). */
  cpuRatioRoundsVsWasm: (number | null)[];
}> {
  const inputSize = market.create().observationSize;
  const totalSteps = market.create().steps * 10;
  const steps = {
    baseline: Math.round(800 * options.scale),
    tfjs: Math.round(1600 * options.scale),
    js: Math.round(8000 * options.scale),
  };
  const kernel = () => timed(agentContender(inputSize, 'js', totalSteps), market, steps.js);
  if (options.only === 'kernel') {
    const rounds: Measurement[] = [];
    for (let r = 0; r < options.rounds; r++) rounds.push(await kernel());
    const rows = [
      row('js-kernel', simdAvailable() ? 'own wasm-simd' : 'own plain js', medianRound(rounds), {}),
    ];
    return {
      rows,
      backends: [],
      kernelRounds: rounds,
      wasmRounds: [],
      ratioRoundsVsWasm: [],
      cpuRatioRoundsVsWasm: [],
    };
  }
  const rows: Row[] = [];
  const backends: BackendName[] = [];
  const kernelRounds: Measurement[] = [];
  const wasmRounds: Measurement[] = [];
  for (const wanted of ['cpu', 'wasm', 'tfjs-node'] as const) {
    if ((await selectBackend(wanted)) !== wanted) continue;
    backends.push(wanted);
    log(`  ${wanted}: baseline and tfjs engine…`);
    // On wasm, the baseline and the kernel alternate: each ratio compares two runs under one load.
    const repeat = wanted === 'wasm' ? options.rounds : 1;
    const baselines: Measurement[] = [];
    for (let r = 0; r < repeat; r++) {
      baselines.push(await timed(baselineContender(inputSize), market, steps.baseline));
      if (wanted === 'wasm') kernelRounds.push(await kernel());
    }
    if (wanted === 'wasm') wasmRounds.push(...baselines);
    const baseline = medianRound(baselines);
    rows.push(row('baseline-layers-api', wanted, baseline, { [wanted]: 1 }));
    const engine = await timed(agentContender(inputSize, 'tfjs', totalSteps), market, steps.tfjs);
    rows.push(
      row('tfjs-engine', wanted, engine, { [wanted]: engine.stepsPerSecond / baseline.stepsPerSecond }),
    );
  }
  if (kernelRounds.length === 0) kernelRounds.push(await kernel());
  const ours = medianRound(kernelRounds);
  const ratios: Record<string, number> = {};
  for (const r of rows) {
    if (r.implementation === 'baseline-layers-api')
      ratios[r.backend] = ours.stepsPerSecond / r.stepsPerSecond;
  }
  // The headline: the kernel over the wasm baseline, round by round (their spread is the load's).
  if (wasmRounds.length > 0) {
    ratios.wasm = median(kernelRounds.map((k, i) => k.stepsPerSecond / wasmRounds[i]!.stepsPerSecond));
  }
  rows.push(row('js-kernel', simdAvailable() ? 'own wasm-simd' : 'own plain js', ours, ratios));
  return {
    rows,
    backends,
    kernelRounds,
    wasmRounds,
    ratioRoundsVsWasm: kernelRounds.map((k, i) =>
      wasmRounds[i] ? k.stepsPerSecond / wasmRounds[i]!.stepsPerSecond : null,
    ),
    cpuRatioRoundsVsWasm: kernelRounds.map((k, i) =>
      wasmRounds[i] ? k.stepsPerCpuSecond / wasmRounds[i]!.stepsPerCpuSecond : null,
    ),
  };
}

function row(
  implementation: Implementation,
  backend: string,
  measurement: Measurement,
  ratioToBaseline: Record<string, number>,
): Row {
  return { implementation, backend, ...measurement, ratioToBaseline };
}

function printJob(job: JobLoopMeasurement, log: (line: string) => void): void {
  const overhead = job.perEpisode.reduce((sum, e) => sum + e.overheadSeconds, 0);
  log(
    `  ${fmt(job.stepsPerSecond)} env steps/s over the whole job (${fmt(job.seconds, 1)} s for ${job.episodes} × ${job.stepsPerEpisode} steps; ${fmt(job.stepsPerCpuSecond)} per CPU-second); ${fmt(job.trainingStepsPerSecond)} steps/s inside the episodes`,
  );
  log(
    `  per episode: validation pass + checkpoint ${fmt((overhead / job.episodes) * 1000)} ms on average (${fmt((100 * overhead) / job.seconds, 1)}% of the job); final evaluation + model save ${fmt(job.finishSeconds * 1000)} ms`,
  );
  log(`  RSS MiB after each episode: [${job.perEpisode.map((e) => e.rssMiB).join(', ')}]`);
  if (job.perEpisode.every((e) => e.rssAfterGcMiB !== null)) {
    log(`  RSS MiB after a full GC:     [${job.perEpisode.map((e) => e.rssAfterGcMiB).join(', ')}]`);
  }
}

/** `--only fleet`: the reducer and the dashboard at 256 workers and 2,000 jobs. */
async function fleetSection(options: BenchOptions, log: (line: string) => void): Promise<void> {
  // React's development build is several times slower; the CLI and the image run the production one.
  process.env.NODE_ENV = 'production';
  const { FLEET_BENCH_DEFAULTS, formatFleet, measureFleet } = await import('./fleet.js');
  log('views at fleet size (supervisor/reducer.ts, the Ink dashboard off-screen), production React:');
  const fleet = await measureFleet({
    seconds: Math.max(10, Math.round(FLEET_BENCH_DEFAULTS.seconds * options.scale)),
  });
  for (const line of formatFleet(fleet)) log(line);
  if (options.json) console.log(JSON.stringify({ schema: 1, node: process.version, fleet }));
}

/** `--only plan`: a whole plan through the CLI, headless (or with `--dashboard`, drawing its dashboard). */
async function planSection(options: BenchOptions, log: (line: string) => void): Promise<void> {
  const { formatFullPlan, measureFullPlan } = await import('./full-plan.js');
  log(
    options.dashboard
      ? 'a whole plan through the CLI, drawing its dashboard at 160×50 in tmux (train --data-dir ../shared/data):'
      : 'a whole plan, headless, through the CLI (train --headless --data-dir ../shared/data):',
  );
  const plan = await measureFullPlan({ ...options, log });
  for (const line of formatFullPlan(plan)) log(line);
  if (options.json) console.log(JSON.stringify({ schema: 1, node: process.version, plan }));
  if (plan.exitCode !== 0) process.exitCode = 1;
}

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  const log = options.json ? () => {} : (line: string) => console.log(line);
  if (options.only === 'fleet') return fleetSection(options, log);
  if (options.only === 'plan') return planSection(options, log);
  const started = performance.now();
  const backend = await selectBackend('wasm');
  const market = await loadBenchMarket(DATA_FILE, 'BTC-USD');
  const probe = market.create();
  log(`DQN speed on BTC-USD: ${market.source}`);
  log(
    `default hyperparameters (batch ${HP.batchSize}, train every ${HP.trainEvery}, hidden ${HP.hiddenLayers.join('×')}); Node ${process.version}, kernel ${simdAvailable() ? 'WebAssembly SIMD' : 'plain JS'}`,
  );
  const tensors = () => tf.memory().numTensors;

  // 1. First, in a fresh process, so its RSS is a worker's: a whole job on our kernel.
  let job: JobLoopMeasurement | null = null;
  if (options.only !== 'kernel') {
    const episodes = Math.max(2, Math.round(JOB_EPISODES * Math.min(1, options.scale)));
    log('');
    log(`whole job (worker/train-job.ts, our kernel, tfjs ${backend} for model I/O), ${episodes} episodes:`);
    job = await measureJobLoop({
      prepared: market.prepared,
      hyperparameters: DEFAULT_HYPERPARAMETERS,
      episodes,
      engine: 'js',
      seed: SEED,
      tensors,
    });
    printJob(job, log);
  }

  // 2. The bare training loop.
  let kernels: Awaited<ReturnType<typeof measureKernels>> | null = null;
  if (options.only !== 'job') {
    log('');
    log(
      `bare training loop, epsilon held at ${EPSILON}, timed after ${HP.warmupSteps} prefilled warm-up steps:`,
    );
    kernels = await measureKernels(market, options, log);
    log(
      `${'implementation'.padEnd(22)}${'backend'.padEnd(17)}${'steps'.padStart(7)}${'env steps/s'.padStart(13)}${'updates/s'.padStart(11)}${'steps/CPU-s'.padStart(13)}  × baseline (same run)`,
    );
    for (const r of kernels.rows) {
      const ratio = Object.entries(r.ratioToBaseline)
        .map(([b, x]) => `${fmt(x, 1)}× ${b}`)
        .join(', ');
      log(
        `${r.implementation.padEnd(22)}${r.backend.padEnd(17)}${String(r.steps).padStart(7)}${fmt(r.stepsPerSecond).padStart(13)}${fmt(r.updatesPerSecond).padStart(11)}${fmt(r.stepsPerCpuSecond).padStart(13)}  ${ratio}`,
      );
    }
    if (kernels.ratioRoundsVsWasm.length > 0) {
      const list = (ratios: (number | null)[]) =>
        ratios.map((x) => (x === null ? '—' : `${fmt(x, 1)}×`)).join(', ');
      log(
        `  kernel ÷ wasm baseline, round by round: ${list(kernels.ratioRoundsVsWasm)} (the table shows the median); in CPU time: ${list(kernels.cpuRatioRoundsVsWasm)}`,
      );
    }
  }

  // 3. The tfjs engine's tensors must not pile up across episodes (short episodes: this checks memory).
  let tfjsJob: JobLoopMeasurement | null = null;
  if (options.only === null) {
    await selectBackend(backend);
    const maxSteps = Math.round(300 * Math.min(1, options.scale));
    tfjsJob = await measureJobLoop({
      prepared: market.prepared,
      hyperparameters: { ...DEFAULT_HYPERPARAMETERS, warmupSteps: DEFAULT_HYPERPARAMETERS.batchSize },
      episodes: JOB_EPISODES,
      engine: 'tfjs',
      seed: SEED,
      tensors,
      maxSteps,
    });
    log('');
    log(
      `tfjs engine (${backend}), ${JOB_EPISODES} episodes of ${maxSteps} steps, tf.memory().numTensors after each: [${tfjsJob.perEpisode.map((e) => e.numTensors).join(', ')}]`,
    );
  }
  const seconds = (performance.now() - started) / 1000;
  log(
    `\n${fmt(seconds, 1)} s in all (figures from one process; on a loaded machine compare ratios, not speeds)`,
  );
  if (options.json) {
    const kernelRow = kernels?.rows.find((r) => r.implementation === 'js-kernel') ?? null;
    console.log(
      JSON.stringify({
        schema: 1,
        pair: 'BTC-USD',
        data: market.source,
        inputSize: probe.observationSize,
        node: process.version,
        kernel: simdAvailable() ? 'wasm-simd' : 'plain-js',
        hyperparameters: HP,
        epsilon: EPSILON,
        warmupSteps: HP.warmupSteps,
        scale: options.scale,
        jobLoop: job,
        trainingLoop: kernels && {
          kernel: kernelRow,
          ratioToWasmBaseline: kernelRow?.ratioToBaseline.wasm ?? null,
          ...kernels,
        },
        memory: {
          jsJobRssMiB: job?.perEpisode.map((e) => e.rssMiB) ?? null,
          jsJobRssAfterGcMiB: job?.perEpisode.map((e) => e.rssAfterGcMiB) ?? null,
          jsJobNumTensors: job?.perEpisode.map((e) => e.numTensors) ?? null,
          tfjsJobNumTensors: tfjsJob?.perEpisode.map((e) => e.numTensors) ?? null,
          tfjsJobRssMiB: tfjsJob?.perEpisode.map((e) => e.rssMiB) ?? null,
          tfjsJobStepsPerEpisode: tfjsJob?.stepsPerEpisode ?? null,
        },
        seconds,
      }),
    );
  }
}

main().catch((error: unknown) => {
  const detail = error instanceof UsageError ? error.message : ((error as Error).stack ?? String(error));
  console.error(`bench: ${detail}`);
  process.exitCode = 1;
});
