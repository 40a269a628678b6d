import type {
  CostSensitivityPoint,
  EvalMetrics,
  JobResult,
  MeanSd,
  Quantiles,
  RandomDistribution,
  Significance,
} from '../shared/index.js';

const fixed = (x: number | null | undefined, digits = 2) =>
  x === null || x === undefined ? '—' : x.toFixed(digits);
const pct = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`;
const spread = (m: MeanSd, digits = 2) => `${fixed(m.mean, digits)} ± ${fixed(m.sd, digits)}`;
const range = (q: Quantiles, digits = 2) =>
  `${fixed(q.median, digits)} [${fixed(q.p5, digits)}, ${fixed(q.p95, digits)}]`;
const pValue = (p: number | null | undefined) =>
  p === null || p === undefined ? '—' : p < 0.001 ? '< 0.001' : p.toFixed(3);

/** Left column padded, the others right-aligned. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
  );
}

const METRIC_ROWS: [string, (m: EvalMetrics) => string][] = [
  ['P/L %', (m) => m.pnlPct.toFixed(2)],
  ['P/L USD (on 10,000)', (m) => m.pnlUsd.toFixed(2)],
  ['win rate', (m) => pct(m.winRate)],
  ['Sharpe', (m) => fixed(m.sharpe)],
  ['Sortino', (m) => fixed(m.sortino)],
  ['max drawdown %', (m) => m.maxDrawdownPct.toFixed(2)],
  ['trades', (m) => String(m.trades)],
  ['exposure', (m) => pct(m.exposure)],
];

/** Out-of-sample decisions beside their baselines, with the training's significance figures. */
export interface Evidence {
  metrics: EvalMetrics | null | undefined;
  buyAndHold: EvalMetrics | null | undefined;
  matchedRandom?: RandomDistribution | null;
  significance?: Significance | null;
  costSensitivity?: readonly CostSensitivityPoint[] | null;
}

/**
 * The metrics beside buy-and-hold and the matched random policies (median [5th, 95th percentile]),
 * the significance in plain figures and the cost sensitivity: what `train-pair` and `backtest` print.
 */
export function formatEvidence(evidence: Evidence): string[] {
  const random = evidence.matchedRandom;
  const randomCells: Record<string, string> = random
    ? {
        'P/L %': range(random.pnlPct),
        Sharpe: range(random.sharpe),
        'max drawdown %': range(random.maxDrawdownPct),
        trades: range(random.trades, 0),
        exposure: pct(random.exposure),
      }
    : {};
  const header = [
    '',
    'agent',
    'buy & hold',
    random ? `random ×${random.policies}: median [5 %, 95 %]` : 'random',
  ];
  const cols = [evidence.metrics, evidence.buyAndHold];
  const lines = table([
    header,
    ...METRIC_ROWS.map(([name, f]) => [name, ...cols.map((m) => (m ? f(m) : '—')), randomCells[name] ?? '—']),
  ]);
  const s = evidence.significance;
  if (s) {
    const d = s.deflatedSharpe;
    lines.push(
      `Sharpe ${fixed(s.sharpe.estimate)}, ${Math.round(s.sharpe.level * 100)} % interval [${fixed(s.sharpe.low)}, ${fixed(s.sharpe.high)}] (${s.sharpe.method} block bootstrap, ${s.sharpe.blockLength}-hour blocks, ${s.sharpe.resamples} resamples)`,
      `p vs buy-and-hold ${pValue(s.pVsBuyAndHold)} (paired, one-sided) · p vs matched random ${pValue(s.pVsRandom)} · deflated Sharpe ${d ? `${fixed(d.probability, 3)} over ${d.configurations} configuration${d.configurations === 1 ? '' : 's'}` : '—'}`,
    );
  }
  if (evidence.costSensitivity) {
    lines.push(
      `at other fees per side: ${evidence.costSensitivity.map((c) => `${(c.feeRate * 100).toFixed(2)} % → ${fixed(c.pnlPct)} % (Sharpe ${fixed(c.sharpe)})`).join(', ')}`,
    );
  }
  return lines;
}

/**
 * `train-pair`'s human-readable result: its evidence (formatEvidence) and with several folds or
 * seeds their per-fold and per-seed lines.
 */
export function formatJobResult(result: JobResult): string {
  const k = result.annualization ?? 8760;
  const lines = [
    `${result.jobId} — out-of-sample, pooled over ${result.folds?.length ?? 1} fold(s): ${result.data?.testRows ?? '?'} candles from ${result.data?.testFrom.slice(0, 10) ?? '?'}; ratios ×√${k}`,
    ...formatEvidence({
      metrics: result.metrics,
      buyAndHold: result.baselines?.buyAndHold,
      matchedRandom: result.baselines?.matchedRandom,
      significance: result.significance,
      costSensitivity: result.costSensitivity,
    }),
  ];
  if (result.folds && result.folds.length > 1) {
    for (const f of result.folds) {
      lines.push(
        `fold ${f.fold}: test ${f.test.from.slice(0, 10)} → ${f.test.to.slice(0, 10)} (${f.test.hours} h): P/L ${fixed(f.vote.pnlPct)} %, Sharpe ${fixed(f.vote.sharpe)}; buy-and-hold ${fixed(f.buyAndHold.pnlPct)} %`,
      );
    }
  }
  if (result.seeds && result.seeds.length > 1 && result.seedSpread) {
    const sp = result.seedSpread;
    lines.push(
      `${result.seeds.length} seeds, each alone (mean ± sd): P/L ${spread(sp.pnlPct)} %, Sharpe ${spread(sp.sharpe)}, trades ${spread(sp.trades, 1)}; the job decides by their majority vote`,
    );
  }
  lines.push(`model: ${result.modelPath}`);
  return lines.join('\n');
}
