import { promises as fs } from 'node:fs';
import path from 'node:path';
import type {
  LedgerCandle,
  LedgerStart,
  PaperDecision,
  PaperJob,
  PaperTraderStatus,
} from '../../shared/index.js';
import { SCHEMA_VERSION } from '../../shared/index.js';
import { Action } from '../environment.js';
import { downsampleEquity } from '../evaluate.js';
import { HOUR_MS, sliceCandles } from '../market-data/index.js';
import { loadAgent, type TradingAgent } from '../model/index.js';
import { writeRunExports } from '../run-exports.js';
import type { TradedRun } from '../trade-log.js';
import { type CandleFeed, type FeedBatch, sleepUnlessAborted } from './candle-feed.js';
import { type LedgerContents, LedgerWriter, readLedger } from './ledger.js';
import { bookAfter, openBook, type PaperBook, stepBook } from './paper-book.js';

export interface PaperTraderOptions {
  job: PaperJob;
  mode: 'live' | 'replay';
  feeRate: number;
  initialCash: number;
  /** The ledger file; trades.csv and equity.csv go beside it. */
  ledgerFile: string;
  /** Builds the feed once the agent is loaded (it needs the agent's warm-up and held-out start). */
  makeFeed: (agent: TradingAgent) => Promise<CandleFeed>;
  signal: AbortSignal;
  /** Called after every change, ledger first: a status never says more than the ledger holds. */
  onStatus: (status: PaperTraderStatus) => void;
  log: (line: string) => void;
  /** After a failed download, wait this long before asking again (live). */
  retryMs?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

export type TraderOutcome = 'done' | 'stopped' | 'failed';

const LATE_MS = 2 * HOUR_MS;

/**
 * One pair's paper trader: decides once per closed candle its feed releases, and appends every
 * decision and fill to its ledger (fsynced) before its status says so. A restarted trader reads
 * its ledger and goes on with the candle after the last one there: none is decided twice, none
 * is skipped.
 */
export class PaperTrader {
  private current: PaperTraderStatus;
  private readonly lines: LedgerCandle[] = [];
  // The curve's columns, kept as lines arrive so a status costs no pass over the whole ledger.
  private readonly times: number[] = [];
  private readonly marked: number[] = [];
  private readonly held: number[] = [];
  private readonly now: () => number;

  constructor(private readonly options: PaperTraderOptions) {
    this.now = options.now ?? Date.now;
    this.current = {
      jobId: options.job.jobId,
      pair: options.job.pair,
      model: options.job.model,
      mode: options.mode,
      state: 'starting',
      position: 'flat',
      equity: options.initialCash,
      buyAndHoldEquity: options.initialCash,
      initialCash: options.initialCash,
      since: null,
      candles: 0,
      candlesTotal: null,
      trades: 0,
      fees: 0,
      lastDecision: null,
      curve: { times: [], agent: [], buyAndHold: [] },
      ledger: options.ledgerFile,
      error: null,
    };
  }

  get status(): PaperTraderStatus {
    return this.current;
  }

  /** Trades until the feed ends (replay), the signal aborts (stop) or something fails for good. */
  async run(): Promise<TraderOutcome> {
    const { job, signal, log } = this.options;
    let agent: TradingAgent | null = null;
    let writer: LedgerWriter | null = null;
    try {
      agent = await loadAgent(job.model);
      const ledger = await readLedger(this.options.ledgerFile);
      this.checkLedger(ledger);
      if (ledger.repaired !== null) {
        log(
          `${job.pair}: ${this.options.ledgerFile}: cut off a line the last run did not finish writing; that candle is decided again`,
        );
      }
      for (const line of ledger.candles) this.record(line);
      if (ledger.end) {
        await this.writeExports();
        this.update({ state: 'done' });
        return 'done';
      }
      writer = await LedgerWriter.open(this.options.ledgerFile);
      if (!ledger.start) await writer.append(this.startLine());
      const feed = await this.options.makeFeed(agent);
      this.update({ state: 'trading', candlesTotal: feed.total });
      if (this.lines.length > 0)
        log(
          `${job.pair}: resuming after ${this.lines.at(-1)!.candleTime} (${this.lines.length} candles in the ledger)`,
        );
      let book: PaperBook =
        this.lines.length > 0 ? bookAfter(this.lines.at(-1)!) : openBook(this.options.initialCash);
      for (;;) {
        const after = this.lines.length > 0 ? Date.parse(this.lines.at(-1)!.candleTime) : null;
        let batch: FeedBatch | null;
        try {
          batch = await feed.next(after, signal);
        } catch (error) {
          if (signal.aborted) break;
          // One bad poll (Yahoo down, a refused request) never ends a live trader: report and ask again.
          const message = (error as Error).message;
          log(`${job.pair}: ${message}`);
          this.update({ error: message });
          await (this.options.sleep ?? sleepUnlessAborted)(this.options.retryMs ?? 60_000, signal);
          continue;
        }
        if (signal.aborted) break;
        if (batch === null) {
          await writer.append({
            type: 'end',
            reason: 'the replay reached its last candle',
            at: new Date(this.now()).toISOString(),
          });
          await this.writeExports();
          this.update({ state: 'done', error: null });
          return 'done';
        }
        book = await this.decideBatch(agent, batch, book, writer);
      }
      await this.writeExports();
      this.update({ state: 'stopped' });
      return 'stopped';
    } catch (error) {
      const message = (error as Error).message;
      log(`${job.pair}: failed: ${message}`);
      this.update({ state: 'failed', error: message });
      return 'failed';
    } finally {
      await writer?.close();
      agent?.dispose();
    }
  }

  private async decideBatch(
    agent: TradingAgent,
    batch: FeedBatch,
    start: PaperBook,
    writer: LedgerWriter,
  ): Promise<PaperBook> {
    const { series } = batch;
    const n = series.times.length;
    const warmup = agent.warmupCandles;
    let book = start;
    for (let k = batch.from; k < n; k++) {
      if (this.options.signal.aborted) break;
      const time = series.times[k]!;
      let action: number | null = null;
      let qValues: number[][] = [];
      if (!(batch.final && k === n - 1)) {
        // The features of candle k from the candles up to k only, exactly as training computed them.
        const window = sliceCandles(series, k - warmup, k + 1);
        const features = agent.features(window);
        const observation = new Float32Array(features.width + 1);
        observation.set(features.data.subarray(warmup * features.width, (warmup + 1) * features.width));
        observation[features.width] = book.position;
        const decision = agent.decide(observation);
        action = decision.action;
        qValues = decision.qValues;
      }
      const wall = this.now();
      const step = stepBook(book, { time, close: series.close[k]! }, action, this.options.feeRate, {
        qValues,
        late: this.options.mode === 'live' && wall - (time + HOUR_MS) > LATE_MS,
        at: new Date(wall).toISOString(),
      });
      await writer.append(step.line);
      book = step.book;
      this.record(step.line);
      this.update({ error: null });
    }
    return book;
  }

  private startLine(): LedgerStart {
    const o = this.options;
    return {
      schema: SCHEMA_VERSION,
      type: 'start',
      pair: o.job.pair,
      model: o.job.model,
      mode: o.mode,
      feeRate: o.feeRate,
      initialCash: o.initialCash,
      at: new Date(this.now()).toISOString(),
    };
  }

  /** A ledger of another setup is refused: appending to it would mix two traders' books. */
  private checkLedger(ledger: LedgerContents): void {
    const start = ledger.start;
    if (!start) return;
    const o = this.options;
    const differ = [
      start.pair !== o.job.pair && `pair ${start.pair} (now ${o.job.pair})`,
      path.resolve(start.model) !== path.resolve(o.job.model) && `model ${start.model} (now ${o.job.model})`,
      start.mode !== o.mode && `mode ${start.mode} (now ${o.mode})`,
      start.feeRate !== o.feeRate && `fee ${start.feeRate} (now ${o.feeRate})`,
      start.initialCash !== o.initialCash && `cash ${start.initialCash} (now ${o.initialCash})`,
    ].filter(Boolean);
    if (differ.length > 0) {
      throw new Error(
        `${o.ledgerFile} was written with ${differ.join(', ')}; to start over move it away (or use another --results)`,
      );
    }
  }

  /** Folds a ledger line into the status (position, equity, trades, fees, curve). */
  private record(line: LedgerCandle): void {
    const previous = this.lines.at(-1);
    this.lines.push(line);
    this.times.push(Date.parse(line.candleTime));
    this.marked.push(line.markedEquity);
    this.held.push(line.buyAndHoldMarked);
    const entered = line.action === 'long' && (previous?.position ?? 'flat') === 'flat';
    const decision: PaperDecision | null =
      line.action === null
        ? this.current.lastDecision
        : {
            candleTime: line.candleTime,
            action: line.action,
            price: line.price,
            fee: line.fee,
            position: line.position,
            cash: line.cash,
            equity: line.equity,
          };
    this.current = {
      ...this.current,
      position: line.position,
      equity: line.equity,
      buyAndHoldEquity: line.buyAndHoldEquity,
      since: this.lines[0]!.candleTime,
      candles: this.current.candles + (line.action === null ? 0 : 1),
      trades: this.current.trades + (entered ? 1 : 0),
      fees: this.current.fees + line.fee,
      lastDecision: decision,
    };
  }

  private update(patch: Partial<PaperTraderStatus>): void {
    const curve =
      this.lines.length > 0 ? downsampleEquity(this.times, this.marked, this.held) : this.current.curve;
    this.current = { ...this.current, ...patch, curve };
    this.options.onStatus(this.current);
  }

  /** trades.csv and equity.csv of the ledger so far, beside it (the backtest's own writers). */
  private async writeExports(): Promise<void> {
    if (this.lines.length < 2) return;
    const decided = this.lines.filter((l) => l.action !== null);
    const run: TradedRun = {
      times: this.times,
      close: this.lines.map((l) => l.price),
      values: this.marked,
      positions: decided
        .slice(0, this.lines.length - 1)
        .map((l) => (l.action === 'long' ? Action.long : Action.flat)),
    };
    const dir = path.dirname(this.options.ledgerFile);
    await fs.mkdir(dir, { recursive: true });
    await writeRunExports(dir, run, this.held, this.options.feeRate);
  }
}
