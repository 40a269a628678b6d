export { type BenjaminiHochberg, benjaminiHochberg } from './benjamini-hochberg.js';
export {
  type BlockBootstrapOptions,
  blockBootstrapSharpeInterval,
  bootstrapSharpeDistribution,
  type SharpeInterval,
} from './block-bootstrap.js';
export { type CostPoint, type CostSensitivityOptions, costSensitivity } from './cost-sensitivity.js';
export { type BootstrapMethod, HOURS_PER_YEAR, STATISTICS_DEFAULTS } from './defaults.js';
export { type DeflatedSharpe, type DeflatedSharpeOptions, deflatedSharpeRatio } from './deflated-sharpe.js';
export {
  type FiguresDistribution,
  type MatchedRandomBaseline,
  type MatchedRandomBaselineOptions,
  matchedRandomBaseline,
  type PolicyFigures,
} from './matched-random-baseline.js';
export { normalCdf, normalQuantile } from './normal.js';
export { type PairedSharpeTest, pairedSharpeTest } from './paired-sharpe-test.js';
export type { PositionChain } from './position-chain.js';
export { type DistributionSummary, quantileSorted } from './quantile.js';
export { sharpe, sortino } from './sharpe.js';
export { type DecisionSeries, type SimulatedEquity, simulateEquity } from './simulate-equity.js';
