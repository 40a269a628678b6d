import { EventEmitter } from 'node:events';
import { render } from 'ink';
import { createElement } from 'react';
import stringWidth from 'string-width';
import { type DashboardActions, type DashboardState, settableStore } from '../shared/index.js';
import type { SupervisorEvent } from '../supervisor/events.js';
import { initialState, reduce } from '../supervisor/reducer.js';
import { VIEW_BATCH_MS } from '../supervisor/store.js';
import { DashboardApp } from '../tui/ink/app.js';
import { type Operation, outputGetters, setFrameCache } from '../tui/ink/frame-cache.js';
import { inkTextWidth } from '../tui/ink/ink-text-width.js';
import { DASHBOARD_INK_OPTIONS } from '../tui/ink/render-dashboard.js';
import { isSimpleLine, styledLine, tokenizedLine } from '../tui/ink/styled-line.js';
import { FLEET_DEFAULTS, type FleetShape, FleetStream } from './fleet-stream.js';

// The views at fleet size (issue 12, item 5): a seeded stream of 256 workers' status files over 2,000 jobs
// goes through the real reducer, and the real Ink dashboard renders the state off-screen at 160×50 once
// per store batch (a second of the run, as the supervisor's store notifies views), plus frames for key presses
// walking the selection down the fleet. Times are wall clock in this process; compare them with the
// targets (16 ms a frame, 1 ms a status update), and on a loaded machine read them as upper bounds. The
// same frames composed by Ink's own `Output.get` instead of the frame cache (tui/ink/frame-cache.ts) are
// the cache's baseline in the same run.

export const FLEET_TARGETS = { frameMs: 16, updateMs: 1 } as const;

export interface FleetBenchOptions {
  shape: FleetShape;
  /** Simulated seconds of the run fed through the reducer and the dashboard. */
  seconds: number;
  columns: number;
  rows: number;
  /** The store's batch: one frame per this many ms of the run. */
  batchMs: number;
  /** Key presses (↓) timed after the run's frames: the selection walking down the list. */
  keyPresses: number;
}

export const FLEET_BENCH_DEFAULTS: FleetBenchOptions = {
  shape: FLEET_DEFAULTS,
  seconds: 90,
  columns: 160,
  rows: 50,
  batchMs: VIEW_BATCH_MS,
  keyPresses: 60,
};

/** p50, p95, max and mean of a list of durations (ms). */
export interface Distribution {
  count: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export interface FleetMeasurement {
  shape: FleetShape;
  simulatedSeconds: number;
  terminal: { columns: number; rows: number };
  events: number;
  /** reduce(state, status event): what each worker's status file costs the supervisor. */
  statusUpdate: Distribution;
  /** Every event of the stream (status, results, aggregated, ticks, exits). */
  anyEvent: Distribution;
  /** One store batch's worth of events reduced and the dashboard re-rendered. */
  frame: Distribution;
  /** A ↓ key press until its frame. */
  keyFrame: Distribution;
  /** The same frames in this process's CPU time (less sensitive to other load on the machine). */
  frameCpu: Distribution;
  keyFrameCpu: Distribution;
  /**
   * The same dashboard over the default plan's 4 workers and 60 jobs, in the same run: the baseline. Its
   * CPU time per frame against the fleet's says what fleet size costs, whatever the machine's load.
   */
  baselineFrameCpu: Distribution;
  /** Fleet frame CPU p50 ÷ the 4-worker frame's. */
  fleetToBaselineFrame: number;
  /** The fleet's batch frames composed by Ink's own `Output.get` (no frame cache), CPU time. */
  inkOwnFrameCpu: Distribution;
  /** The ↓ key frames composed by Ink's own `Output.get`, CPU time. */
  inkOwnKeyFrameCpu: Distribution;
  /** Ink's own composition ÷ the frame cache's, CPU time per batch frame and per key frame (p50, p95). */
  inkOwnToCached: { p50: number; p95: number; keyP50: number; keyP95: number };
  /** Bytes written to the terminal per batch frame, and a whole frame's text. */
  bytesPerFrame: Distribution;
  fullFrameBytes: number;
  /** Frames whose output differed from the one before (Ink writes only those). */
  framesWritten: number;
  /** The selected worker was on screen after every key press (the list follows the selection). */
  selectionAlwaysVisible: boolean;
  /** Each text path of a batch frame timed on the fleet's own lines, against the library it replaces. */
  textPaths: TextPaths;
  targets: typeof FLEET_TARGETS;
  /** p95 over target: below 1 meets it. */
  ratioToTarget: { frame: number; keyFrame: number; statusUpdate: number };
}

/**
 * The two per-line costs of a batch frame, on the lines Ink wrote into the fleet's batch frames (ms a
 * frame, mean): measuring their width (Ink's `widest-line`, once per text node and frame) with
 * `string-width` and with the width library Ink is given, and turning them into styled characters (the
 * frame cache, once per changed line) with the tokenizer and with `styledLine`'s fast path.
 */
export interface TextPaths {
  frames: number;
  linesPerFrame: number;
  /** Lines that take `styledLine`'s fast path, of all. */
  simpleShare: number;
  inkWidthLibrary: string;
  width: { stringWidthMs: number; inkWidthMs: number; ratio: number };
  styled: { libraryMs: number; styledLineMs: number; ratio: number };
}

/** Mean ms a frame of `work` over every line of every frame, repeated until a second has passed. */
function timePerFrame(frames: readonly string[][], work: (line: string) => unknown): number {
  let rounds = 0;
  const t0 = performance.now();
  do {
    for (const lines of frames) for (const line of lines) work(line);
    rounds++;
  } while (performance.now() - t0 < 1_000);
  return (performance.now() - t0) / (rounds * frames.length);
}

async function measureTextPaths(frames: string[][]): Promise<TextPaths> {
  const ink = await inkTextWidth();
  const stringWidthMs = timePerFrame(frames, stringWidth);
  const inkWidthMs = timePerFrame(frames, ink.width);
  const libraryMs = timePerFrame(frames, tokenizedLine);
  const styledLineMs = timePerFrame(frames, styledLine);
  const lines = frames.flat();
  const simple = lines.filter(isSimpleLine);
  return {
    frames: frames.length,
    linesPerFrame: lines.length / Math.max(1, frames.length),
    simpleShare: simple.length / Math.max(1, lines.length),
    inkWidthLibrary: ink.packageName,
    width: { stringWidthMs, inkWidthMs, ratio: stringWidthMs / inkWidthMs },
    styled: { libraryMs, styledLineMs, ratio: libraryMs / styledLineMs },
  };
}

/** Sorted-sample quantile (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** The distribution of `samples` (ms). */
export function distribution(samples: readonly number[]): Distribution {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((n, x) => n + x, 0);
  return {
    count: sorted.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    max: sorted.at(-1) ?? 0,
    mean: sorted.length ? sum / sorted.length : 0,
  };
}

function reduceAll(state: DashboardState, events: readonly SupervisorEvent[]): DashboardState {
  let next = state;
  for (const event of events) next = reduce(next, event);
  return next;
}

/** Feeds the stream through the reducer alone, timing every call. */
function measureReducer(options: FleetBenchOptions): { status: number[]; any: number[]; events: number } {
  const stream = new FleetStream(options.shape);
  let state = reduceAll(
    initialState({ mode: 'run', resultsDir: '/results', now: stream.now }),
    stream.start(),
  );
  const status: number[] = [];
  const any: number[] = [];
  const batches = Math.round((options.seconds * 1000) / options.batchMs);
  for (let b = 0; b < batches; b++) {
    for (const event of stream.advance(options.batchMs / 1000)) {
      const t0 = performance.now();
      state = reduce(state, event);
      const ms = performance.now() - t0;
      any.push(ms);
      if (event.type === 'status') status.push(ms);
    }
  }
  return { status, any, events: any.length };
}

/** A terminal that Ink writes to: sized, and remembering the last frame's text. */
class OffscreenTerminal extends EventEmitter {
  readonly isTTY = true;
  writes = 0;
  bytes = 0;
  constructor(
    readonly columns: number,
    readonly rows: number,
  ) {
    super();
  }
  write = (chunk: string) => {
    this.writes += 1;
    this.bytes += Buffer.byteLength(chunk);
    return true;
  };
}

/** The text of every frame Ink composes, and the lines written into the last one, without parsing what it wrote to the terminal. */
function recordComposedFrames(): { last: () => string; lastLines: () => string[]; stop: () => void } {
  const ink = outputGetters();
  if (!ink) return { last: () => '', lastLines: () => [], stop: () => {} };
  const current = ink.Output.prototype.get;
  let last = '';
  // Kept as they are and split only when asked for, so the timed frame pays for one reference.
  let operations: readonly Operation[] = [];
  ink.Output.prototype.get = function recorded() {
    const frame = current.call(this);
    last = frame.output;
    operations = this.operations;
    return frame;
  };
  return {
    last: () => last,
    lastLines: () =>
      operations.flatMap((operation) => (operation.type === 'write' ? operation.text.split('\n') : [])),
    stop: () => {
      ink.Output.prototype.get = current;
    },
  };
}

/** Ink's stdin as a TTY that never reads: keys are pushed in by hand. */
class ScriptedKeys extends EventEmitter {
  readonly isTTY = true;
  private pending: string | null = null;
  press(data: string) {
    this.pending = data;
    this.emit('readable');
  }
  read = () => {
    const data = this.pending;
    this.pending = null;
    return data;
  };
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

const NO_ACTIONS: DashboardActions = {
  send: async () => 'ok',
  quit: () => {},
};

/** Renders the dashboard off-screen and times each frame: a store batch, then key presses. */
async function measureDashboard(
  options: FleetBenchOptions,
  frameCache: boolean,
): Promise<{
  frames: { wall: number; cpu: number; bytes: number }[];
  keyFrames: { wall: number; cpu: number; bytes: number }[];
  written: number;
  fullFrameBytes: number;
  selectionAlwaysVisible: boolean;
  /** The lines Ink wrote into each batch frame. */
  batchLines: string[][];
}> {
  setFrameCache(frameCache);
  const composed = recordComposedFrames();
  const stream = new FleetStream(options.shape);
  let state = reduceAll(
    initialState({ mode: 'run', resultsDir: '/results', now: stream.now }),
    stream.start(),
  );
  const store = settableStore(state);
  const stdout = new OffscreenTerminal(options.columns, options.rows);
  const stdin = new ScriptedKeys();
  let renders = 0;
  const instance = render(
    createElement(DashboardApp, {
      store,
      actions: NO_ACTIONS,
      mode: 'run',
      clock: () => stream.now,
      tickMs: 0,
      size: { columns: options.columns, rows: options.rows },
    }),
    {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      ...DASHBOARD_INK_OPTIONS,
      patchConsole: false,
      // Unthrottled so every frame is timed; the real dashboard draws at most 10 a second.
      maxFps: 0,
      onRender: () => {
        renders += 1;
      },
    },
  );
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  /** Runs `change` and returns the ms until Ink rendered the frame it caused (or found nothing new). */
  const timeFrame = async (change: () => void): Promise<{ wall: number; cpu: number; bytes: number }> => {
    const before = renders;
    const bytes0 = stdout.bytes;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    change();
    // React commits a store update in a microtask; key presses go through Ink's input parser first.
    while (renders === before) {
      await settle();
      if (performance.now() - t0 > 5_000) break;
    }
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { wall, cpu: (cpu.user + cpu.system) / 1000, bytes: stdout.bytes - bytes0 };
  };
  try {
    await settle();
    const frames: { wall: number; cpu: number; bytes: number }[] = [];
    const batches = Math.round((options.seconds * 1000) / options.batchMs);
    let lastOutput = composed.last();
    let written = 0;
    const batchLines: string[][] = [];
    for (let b = 0; b < batches; b++) {
      // The supervisor reduces each event as its file is read (timed above); a frame is the redraw.
      state = reduceAll(state, stream.advance(options.batchMs / 1000));
      frames.push(await timeFrame(() => store.set(state)));
      batchLines.push(composed.lastLines());
      if (composed.last() !== lastOutput) written += 1;
      lastOutput = composed.last();
    }
    const fullFrameBytes = Buffer.byteLength(composed.last());
    const keyFrames: { wall: number; cpu: number; bytes: number }[] = [];
    let selectionAlwaysVisible = true;
    const ids = state.workers.map((w) => w.workerId);
    for (let k = 0; k < options.keyPresses; k++) {
      keyFrames.push(await timeFrame(() => stdin.press('\u001B[B')));
      // Let a lone-escape timer in the input parser settle before the next key.
      await settle();
      const selected = ids[(k + 1) % ids.length]!;
      if (!new RegExp(`▸\\S*\\s*${selected} `).test(composed.last())) selectionAlwaysVisible = false;
    }
    return { frames, keyFrames, written, fullFrameBytes, selectionAlwaysVisible, batchLines };
  } finally {
    instance.unmount();
    instance.cleanup();
    composed.stop();
    setFrameCache(true);
  }
}

/** Runs both parts and compares their p95 with the targets. */
export async function measureFleet(partial: Partial<FleetBenchOptions> = {}): Promise<FleetMeasurement> {
  const options = { ...FLEET_BENCH_DEFAULTS, ...partial };
  const reducer = measureReducer(options);
  const view = await measureDashboard(options, true);
  const inkOwn = await measureDashboard(options, false);
  const baseline = await measureDashboard(
    { ...options, shape: { ...options.shape, workers: 4, jobs: 60 }, keyPresses: 0 },
    true,
  );
  const inkOwnFrameCpu = distribution(inkOwn.frames.map((f) => f.cpu));
  const inkOwnKeyFrameCpu = distribution(inkOwn.keyFrames.map((f) => f.cpu));
  const baselineFrameCpu = distribution(baseline.frames.map((f) => f.cpu));
  const statusUpdate = distribution(reducer.status);
  const frame = distribution(view.frames.map((f) => f.wall));
  const keyFrame = distribution(view.keyFrames.map((f) => f.wall));
  const frameCpu = distribution(view.frames.map((f) => f.cpu));
  const keyFrameCpu = distribution(view.keyFrames.map((f) => f.cpu));
  return {
    shape: options.shape,
    simulatedSeconds: options.seconds,
    terminal: { columns: options.columns, rows: options.rows },
    events: reducer.events,
    statusUpdate,
    anyEvent: distribution(reducer.any),
    frame,
    keyFrame,
    frameCpu,
    keyFrameCpu,
    baselineFrameCpu,
    fleetToBaselineFrame: frameCpu.p50 / baselineFrameCpu.p50,
    inkOwnFrameCpu,
    inkOwnKeyFrameCpu,
    inkOwnToCached: {
      p50: inkOwnFrameCpu.p50 / frameCpu.p50,
      p95: inkOwnFrameCpu.p95 / frameCpu.p95,
      keyP50: inkOwnKeyFrameCpu.p50 / keyFrameCpu.p50,
      keyP95: inkOwnKeyFrameCpu.p95 / keyFrameCpu.p95,
    },
    bytesPerFrame: distribution(view.frames.map((f) => f.bytes)),
    fullFrameBytes: view.fullFrameBytes,
    framesWritten: view.written,
    selectionAlwaysVisible: view.selectionAlwaysVisible,
    textPaths: await measureTextPaths(view.batchLines),
    targets: FLEET_TARGETS,
    ratioToTarget: {
      frame: frame.p95 / FLEET_TARGETS.frameMs,
      keyFrame: keyFrame.p95 / FLEET_TARGETS.frameMs,
      statusUpdate: statusUpdate.p95 / FLEET_TARGETS.updateMs,
    },
  };
}

const ms = (x: number) => (x < 10 ? x.toFixed(3) : x.toFixed(1));
const row = (name: string, d: Distribution, target: number) =>
  `  ${name.padEnd(30)}${String(d.count).padStart(8)}${ms(d.p50).padStart(10)}${ms(d.p95).padStart(10)}${ms(d.max).padStart(10)}   p95 ÷ target ${(d.p95 / target).toFixed(2)} (target ${target} ms)`;

/** The fleet section of `npm run bench` as printed lines. */
export function formatFleet(m: FleetMeasurement): string[] {
  return [
    `${m.shape.workers} workers, ${m.shape.jobs} jobs, ${m.shape.statusPerSecond} status files a second each, ${m.simulatedSeconds} s of the run (${m.events.toLocaleString('en-US')} events); dashboard ${m.terminal.columns}×${m.terminal.rows}`,
    `  ${'ms'.padEnd(30)}${'count'.padStart(8)}${'p50'.padStart(10)}${'p95'.padStart(10)}${'max'.padStart(10)}`,
    row('reducer: a status update', m.statusUpdate, m.targets.updateMs),
    row('reducer: any event', m.anyEvent, m.targets.updateMs),
    row('frame: a store batch drawn', m.frame, m.targets.frameMs),
    row('frame: a ↓ key press', m.keyFrame, m.targets.frameMs),
    row('frame, CPU time: a batch', m.frameCpu, m.targets.frameMs),
    row('frame, CPU time: a ↓ key', m.keyFrameCpu, m.targets.frameMs),
    row('baseline: 4 workers, CPU time', m.baselineFrameCpu, m.targets.frameMs),
    row('Ink’s own Output.get: a batch', m.inkOwnFrameCpu, m.targets.frameMs),
    row('Ink’s own Output.get: a ↓ key', m.inkOwnKeyFrameCpu, m.targets.frameMs),
    `  the frame cache: Ink's own composition costs ${m.inkOwnToCached.p50.toFixed(2)}× (p50) and ${m.inkOwnToCached.p95.toFixed(2)}× (p95) the cached batch frame's CPU time, ${m.inkOwnToCached.keyP50.toFixed(2)}× and ${m.inkOwnToCached.keyP95.toFixed(2)}× a key frame's (same frames, same run)`,
    `  a fleet frame costs ${m.fleetToBaselineFrame.toFixed(2)}× the 4-worker frame's CPU time (p50, same run)`,
    `  bytes to the terminal per batch frame: p50 ${m.bytesPerFrame.p50.toFixed(0)}, p95 ${m.bytesPerFrame.p95.toFixed(0)}; a whole frame is ${m.fullFrameBytes}`,
    `  ${m.framesWritten} of ${m.frame.count} batch frames changed the screen; the selection stayed on screen after every key press: ${m.selectionAlwaysVisible ? 'yes' : 'NO'}`,
    `  text paths on these frames' own lines (${m.textPaths.linesPerFrame.toFixed(0)} a frame, ${(100 * m.textPaths.simpleShare).toFixed(1)} % on the fast path), ms a frame:`,
    `    width (Ink measures every text node): string-width ${ms(m.textPaths.width.stringWidthMs)}, ${m.textPaths.inkWidthLibrary} ${ms(m.textPaths.width.inkWidthMs)}: ${m.textPaths.width.ratio.toFixed(1)}×`,
    `    styled characters (every changed line): tokenize ${ms(m.textPaths.styled.libraryMs)}, styledLine ${ms(m.textPaths.styled.styledLineMs)}: ${m.textPaths.styled.ratio.toFixed(1)}×`,
  ];
}
