import {
  type CurrentJob,
  type PaperConfig,
  type PaperTraderStatus,
  paperLedgerFile,
  workerStatusFile,
} from '../../shared/index.js';
import { describeEngine, selectBackend } from '../dqn/index.js';
import { trainingPeriod } from '../model/index.js';
import { StatusWriter } from '../status-writer.js';
import { type CandleFeed, liveFeed, replayFeed } from './candle-feed.js';
import { PaperTrader } from './paper-trader.js';

export interface RunPaperWorkerOptions {
  /** True once a stop was requested (SIGTERM): traders finish the candle in hand and stop. */
  shouldStop: () => boolean;
  log: (line: string) => void;
  fetch?: typeof fetch;
}

export type PaperWorkerOutcome = 'done' | 'stopped';

const STOP_POLL_MS = 100;

/** The view's one job line for a paper worker: its first trader still trading (else the last). */
function currentJob(traders: readonly PaperTraderStatus[]): CurrentJob | null {
  const index = Math.max(
    0,
    traders.findIndex((t) => t.state === 'trading' || t.state === 'starting'),
  );
  const t = traders[index];
  if (!t) return null;
  return {
    jobId: t.jobId,
    pair: t.pair,
    variant: 'paper',
    jobIndex: index,
    episode: 1,
    episodes: 1,
    step: t.candles,
    stepsPerEpisode: t.candlesTotal ?? 0,
  };
}

/**
 * A worker process running paper traders, one per job (pair), side by side. It writes the same
 * worker_N_status.json as a training worker (state `trading`, its current job, and each trader's
 * position, equity, buy-and-hold and last decision under `paper`), so the supervisor and the views
 * follow it unchanged. One trader failing never stops the others.
 */
export async function runPaperWorker(
  config: PaperConfig,
  options: RunPaperWorkerOptions,
): Promise<PaperWorkerOutcome> {
  const { log } = options;
  const status = new StatusWriter({
    file: workerStatusFile(config.resultsDir, config.workerId),
    runId: config.runId,
    workerId: config.workerId,
  });
  const stop = new AbortController();
  const stopTimer = setInterval(() => {
    if (options.shouldStop()) stop.abort();
  }, STOP_POLL_MS);
  try {
    status.update({ jobsTotal: config.jobs.length, message: 'selecting ML backend' });
    const backend = describeEngine('js', await selectBackend());
    log(
      `worker ${config.workerId}: paper trading ${config.jobs.map((j) => j.pair).join(', ')} (${config.feed.mode}), backend ${backend}`,
    );
    const traders: PaperTrader[] = [];
    const publish = () => {
      const states = traders.map((t) => t.status);
      const current = currentJob(states);
      const shown = current ? states[current.jobIndex] : undefined;
      status.update({
        paper: states,
        current,
        jobsDone: states.filter((t) => t.state === 'done').length,
        jobsFailed: states.filter((t) => t.state === 'failed').length,
        lastJobPnlPct: shown ? (shown.equity / shown.initialCash - 1) * 100 : null,
        lastError: states.find((t) => t.error)?.error ?? null,
        message: shown?.lastDecision
          ? `${shown.pair} ${shown.position} at ${shown.lastDecision.candleTime.slice(0, 16)}, equity ${shown.equity.toFixed(2)} vs buy & hold ${shown.buyAndHoldEquity.toFixed(2)}`
          : null,
      });
    };
    for (const job of config.jobs) {
      traders.push(
        new PaperTrader({
          job,
          mode: config.feed.mode,
          feeRate: config.feeRate,
          initialCash: config.initialCash,
          ledgerFile: paperLedgerFile(config.resultsDir, job.pair),
          makeFeed: (agent) =>
            makeFeed(config, job.pair, agent.warmupCandles, trainingPeriod(agent).heldOutFrom, options),
          signal: stop.signal,
          onStatus: publish,
          log,
          retryMs: config.feed.mode === 'live' ? config.feed.pollSeconds * 1000 : 1000,
        }),
      );
    }
    await status.setState('trading', { backend, message: null });
    publish();
    const outcomes = await Promise.all(traders.map((t) => t.run()));
    publish();
    if (stop.signal.aborted || outcomes.includes('stopped')) {
      await status.setState('stopped', { message: 'stopped on request; resumes from the ledgers' });
      return 'stopped';
    }
    const done = outcomes.filter((o) => o === 'done').length;
    await status.setState('done', {
      current: null,
      message: `${done}/${traders.length} paper traders finished`,
    });
    return 'done';
  } catch (error) {
    await status.setState('failed', { lastError: (error as Error).message });
    throw error;
  } finally {
    clearInterval(stopTimer);
    await status.close();
  }
}

async function makeFeed(
  config: PaperConfig,
  pair: string,
  warmup: number,
  defaultFrom: number | null,
  options: RunPaperWorkerOptions,
): Promise<CandleFeed> {
  const feed = config.feed;
  if (feed.mode === 'replay') {
    return replayFeed({
      pair,
      dir: feed.dir,
      speed: feed.speed,
      from: feed.from === null ? null : Date.parse(feed.from),
      to: feed.to === null ? null : Date.parse(feed.to),
      warmup,
      defaultFrom,
    });
  }
  return liveFeed({
    pair,
    pollSeconds: feed.pollSeconds,
    warmup,
    deps: { fetch: options.fetch },
    log: options.log,
  });
}
