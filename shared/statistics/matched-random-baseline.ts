import { Rng } from '../rng.js';
import { STATISTICS_DEFAULTS } from './defaults.js';
import { drawPositions, fitPositionChain, type PositionChain } from './position-chain.js';
import { type DistributionSummary, summariseInPlace } from './quantile.js';
import { comparableSharpe } from './sharpe.js';
import { checkDecisionSeries, type DecisionSeries, replayInto } from './simulate-equity.js';
import { checkFeeRate, checkInteger, checkPositive, checkSeed } from './validate.js';

/** What the matched random baseline needs: the agent's decisions on the hours it was evaluated. */
export interface MatchedRandomBaselineOptions extends DecisionSeries {
  /** Fee per side, the agent's. */
  feeRate: number;
  /** Random policies drawn; default 1,000, fewer than 1,000 is refused (issue 8). */
  count?: number;
  /** Seed of the draws; one seed per pair gives every variant of the pair the same random numbers. */
  seed: number;
  /** Periods per year for annualising; default 8760 (hourly). */
  periodsPerYear?: number;
}

/** The figures of one policy on the evaluated hours. */
export interface PolicyFigures {
  pnlPct: number;
  /** Annualised; a policy without variance in its returns (never long) counts as 0. */
  sharpe: number;
  maxDrawdownPct: number;
  trades: number;
  exposure: number;
  switchRate: number;
}

const FIGURES = [
  'pnlPct',
  'sharpe',
  'maxDrawdownPct',
  'trades',
  'exposure',
  'switchRate',
] as const satisfies readonly (keyof PolicyFigures)[];

/** Median, 5th and 95th percentile of each figure over the random policies. */
export type FiguresDistribution = { [K in keyof PolicyFigures]: DistributionSummary };

/** The agent against random policies that trade as often and stay long as long as it does. */
export interface MatchedRandomBaseline {
  count: number;
  /** The two-state chain fitted to the agent's positions, from which the random policies are drawn. */
  chain: PositionChain;
  agent: PolicyFigures;
  distribution: FiguresDistribution;
  /**
   * (1 + #{random Sharpe ≥ agent's}) / (1 + count): the chance that a policy with the agent's
   * exposure and switch rate but no information does at least as well. Never exactly 0.
   */
  pValue: number;
  /**
   * 'never-long' or 'always-long' when the agent held one position throughout. The chain then
   * reproduces the agent exactly (never long: no trades; always long: buy-and-hold in every
   * segment), every random policy ties with it and pValue is 1: such an agent shows no skill
   * beyond its exposure, so it can never be significant. null otherwise.
   */
  degenerate: 'never-long' | 'always-long' | null;
}

/**
 * Fits a two-state Markov chain to the agent's positions (P(enter | flat), P(exit | long), flat at
 * each segment start), draws `count` random position series from it, replays each with the same
 * moves and fee, and compares the agent's Sharpe with that distribution.
 */
export function matchedRandomBaseline(options: MatchedRandomBaselineOptions): MatchedRandomBaseline {
  const fn = 'matchedRandomBaseline';
  if (options === null || typeof options !== 'object') throw new Error(`${fn}: options must be an object`);
  const starts = checkDecisionSeries(fn, options);
  const {
    moves,
    positions,
    feeRate,
    seed,
    count = STATISTICS_DEFAULTS.randomPolicies,
    periodsPerYear = STATISTICS_DEFAULTS.periodsPerYear,
  } = options;
  checkFeeRate(fn, 'feeRate', feeRate);
  checkSeed(fn, seed);
  checkInteger(fn, 'count', count, STATISTICS_DEFAULTS.minRandomPolicies);
  checkPositive(fn, 'periodsPerYear', periodsPerYear);

  const n = moves.length;
  const annualise = Math.sqrt(periodsPerYear);
  const cash = STATISTICS_DEFAULTS.initialCash;
  const returns = new Float64Array(n);
  const figures = (summary: ReturnType<typeof replayInto>): PolicyFigures => ({
    pnlPct: summary.pnlPct,
    sharpe: comparableSharpe(returns) * annualise,
    maxDrawdownPct: summary.maxDrawdownPct,
    trades: summary.trades,
    exposure: summary.longHours / n,
    switchRate: summary.switches / n,
  });

  const agent = figures(replayInto(moves, positions, starts, feeRate, cash, returns, null));
  const chain = fitPositionChain(positions, starts);
  const draws = Object.fromEntries(FIGURES.map((name) => [name, new Float64Array(count)])) as Record<
    keyof PolicyFigures,
    Float64Array
  >;
  const rng = new Rng(seed);
  const drawn = new Uint8Array(n);
  let atLeast = 0;
  for (let i = 0; i < count; i++) {
    drawPositions(chain, starts, rng, drawn);
    const random = figures(replayInto(moves, drawn, starts, feeRate, cash, returns, null));
    if (random.sharpe >= agent.sharpe) atLeast += 1;
    for (const name of FIGURES) draws[name][i] = random[name];
  }
  const degenerate = agent.exposure === 0 ? 'never-long' : agent.exposure === 1 ? 'always-long' : null;
  return {
    count,
    chain,
    agent,
    distribution: Object.fromEntries(
      FIGURES.map((name) => [name, summariseInPlace(draws[name])]),
    ) as FiguresDistribution,
    pValue: (1 + atLeast) / (1 + count),
    degenerate,
  };
}
