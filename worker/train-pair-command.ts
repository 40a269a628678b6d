import os from 'node:os';
import path from 'node:path';
import {
  type DataSettings,
  DEFAULT_ENVIRONMENT,
  type JobResult,
  pairFileStem,
  VARIANTS,
} from '../shared/index.js';
import { describeEngine, type EngineKind, selectBackend } from './dqn/index.js';
import { formatMetricsTable } from './metrics-table.js';
import { preparePair } from './prepare-pair.js';
import { jobSeed } from './seeds.js';
import { JobStopped, trainJob } from './train-job.js';

export interface TrainPairOptions {
  pair: string;
  variant: string;
  episodes: number;
  data: DataSettings;
  seed: number;
  outDir: string;
  engine: EngineKind;
  json: boolean;
  /** Where progress lines go (stderr), and the final table or JSON (stdout). */
  progress?: (line: string) => void;
  print?: (text: string) => void;
  fetch?: typeof fetch;
}

/**
 * `trading-workers train-pair PAIR`: one job in this process, the worker's job loop without the
 * supervisor. Returns the exit code: 0 trained, 1 failed (one line naming the symbol), 130 stopped.
 */
export async function runTrainPairCommand(options: TrainPairOptions): Promise<number> {
  const progress = options.progress ?? ((line) => process.stderr.write(`${line}\n`));
  const print = options.print ?? ((text) => process.stdout.write(`${text}\n`));
  const variant = VARIANTS.find((v) => v.name === options.variant);
  if (!variant) {
    throw new Error(
      `unknown variant "${options.variant}" (expected ${VARIANTS.map((v) => v.name).join(', ')})`,
    );
  }
  let stop = false;
  const onSigint = () => {
    stop = true;
  };
  process.once('SIGINT', onSigint);
  try {
    const backend = describeEngine(options.engine, await selectBackend());
    let prepared: Awaited<ReturnType<typeof preparePair>>;
    try {
      prepared = await preparePair(options.pair, options.data, DEFAULT_ENVIRONMENT, {
        log: progress,
        seed: options.seed,
        fetch: options.fetch,
      });
    } catch (error) {
      process.stderr.write(`trading-workers: ${(error as Error).message}\n`);
      return 1;
    }
    const s = prepared.summary;
    progress(
      `${options.pair}: ${s.rows} candles ${s.from.slice(0, 16)} → ${s.to.slice(0, 16)} (${s.source}), ` +
        `train ${s.trainRows}, held out ${s.testRows} from ${s.testFrom.slice(0, 16)}; ${backend}`,
    );
    for (const warning of s.warnings) progress(`warning: ${warning}`);
    const jobId = `${options.pair}/${variant.name}`;
    const modelDir = path.join(options.outDir, `${pairFileStem(options.pair)}_${variant.name}_model`);
    const result = await trainJob({
      spec: { jobId, pair: options.pair, variant: variant.name, hyperparameters: variant.hyperparameters },
      prepared,
      episodes: options.episodes,
      environment: DEFAULT_ENVIRONMENT,
      seed: jobSeed(options.seed, jobId),
      engine: options.engine,
      backend,
      modelDir,
      checkpointDir: null,
      shouldStop: () => stop,
      onEpisode: (e) =>
        progress(
          `episode ${e.episode}/${options.episodes}: reward ${e.reward.toFixed(4)}, P/L ${e.pnlPct.toFixed(2)}%, ` +
            `epsilon ${e.epsilon.toFixed(3)}, loss ${e.loss?.toExponential(2) ?? '—'}, ${Math.round(e.stepsPerSecond)} steps/s`,
        ),
      onPhase: (phase) => phase !== 'training' && progress(`${phase}…`),
    });
    print(options.json ? JSON.stringify(summarise(result)) : formatTable(result));
    return 0;
  } catch (error) {
    if (error instanceof JobStopped) {
      process.stderr.write('trading-workers: stopped\n');
      return 130;
    }
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** The JSON `--json` prints: the result without the bulky curves, plus where the model is. */
function summarise(result: JobResult) {
  return {
    pair: result.pair,
    variant: result.variant,
    jobId: result.jobId,
    metrics: result.metrics,
    baselines: result.baselines,
    modelPath: result.modelPath,
    backend: result.backend,
    seed: result.seed,
    seconds: result.seconds,
    data: result.data,
    episodes: result.episodes,
    selectedEpisode: result.selectedEpisode ?? null,
    validation: result.validation ?? null,
    hyperparameters: result.hyperparameters,
    node: process.version,
    host: os.hostname(),
  };
}

function formatTable(result: JobResult): string {
  return [
    `${result.jobId} — out-of-sample (${result.data?.testRows ?? '?'} hours from ${result.data?.testFrom.slice(0, 10) ?? '?'})`,
    formatMetricsTable([
      { name: 'agent', metrics: result.metrics },
      { name: 'buy & hold', metrics: result.baselines?.buyAndHold },
      { name: 'random', metrics: result.baselines?.random },
    ]),
    `model: ${result.modelPath}`,
  ].join('\n');
}
