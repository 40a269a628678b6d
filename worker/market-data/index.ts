export { cachedSpan, candleAvailability } from './candle-availability.js';
export { type DataProblem, formatProblem } from './candle-checks.js';
export {
  type Candle,
  type CandleSeries,
  closedCandles,
  countGaps,
  HOUR_MS,
  PairDataError,
  sliceCandles,
  sliceSeries,
  trimToLastDays,
} from './candles.js';
export { CANDLE_CSV_HEADER, parseCandleCsv, readCandleCsv, writeCandleCsv } from './csv.js';
export { cacheCovers, cacheCoversSpan, type LoadCandlesDeps, loadCandles } from './load-candles.js';
export { generateSyntheticCandles, type SyntheticOptions } from './synthetic.js';
export { downloadYahooCandles, pingYahoo, type YahooDeps } from './yahoo.js';
