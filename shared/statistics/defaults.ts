/** Hours in a year: hourly crypto trades around the clock, so an hourly Sharpe is annualised by √8760. */
export const HOURS_PER_YEAR = 8760;

/** Every default of the statistics in one place; each function documents the option it fills. */
export const STATISTICS_DEFAULTS = {
  /** Periods per year used to annualise a Sharpe ratio (hourly returns). */
  periodsPerYear: HOURS_PER_YEAR,
  /** Bootstrap resamples drawn by default, and the fewest accepted (issue 8: ≥ 2,000). */
  resamples: 2000,
  minResamples: 2000,
  /**
   * Mean block length in hours. Hourly crypto returns are close to uncorrelated, but their size is
   * not: the autocorrelation of |log returns| over the year in ../shared/data is 0.22–0.26 at lag 1,
   * falls to 0.05–0.12 at lag 12 and rises again to 0.10–0.13 at lag 24 (BTC, ETH, SOL, XRP), a daily
   * cycle of volatility. A 24-hour block keeps one whole cycle together, so a resample keeps the
   * volatility clustering that a Sharpe ratio's spread depends on.
   */
  blockLength: 24,
  /** Politis–Romano stationary bootstrap: geometric block lengths, so resamples stay stationary. */
  method: 'stationary' as const,
  /** Two-sided level of the percentile interval. */
  level: 0.95,
  /** Random policies drawn by default for the matched random baseline, and the fewest accepted (issue 8: ≥ 1,000). */
  randomPolicies: 1000,
  minRandomPolicies: 1000,
  /** False discovery rate of the Benjamini–Hochberg correction. */
  alpha: 0.05,
  /** Fees per side at which cost sensitivity replays the decisions: 0, 0.05 %, 0.1 %, 0.2 %, 0.5 %. */
  costFees: [0, 0.0005, 0.001, 0.002, 0.005] as readonly number[],
  /** Nominal starting cash of a simulated segment (the environment's default). */
  initialCash: 10_000,
} as const;

/** The two block bootstraps on offer. */
export type BootstrapMethod = 'stationary' | 'circular';
