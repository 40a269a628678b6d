/** The seed's 15 pairs, in the order the default plan splits them over 4 workers. */
export const DEFAULT_PAIRS = [
  'BTC-USD',
  'ETH-USD',
  'BNB-USD',
  'SOL-USD',
  'XRP-USD',
  'ADA-USD',
  'DOGE-USD',
  'TRX-USD',
  'LINK-USD',
  'AVAX-USD',
  'MATIC-USD',
  'DOT-USD',
  'LTC-USD',
  'ATOM-USD',
  'UNI-USD',
] as const;

const PAIR_PATTERN = /^[A-Z0-9]{1,15}(-[A-Z]{2,5})?$/;

/** True when `symbol` looks like a Yahoo symbol we can name files after (`BTC-USD`). */
export function isPairSymbol(symbol: string): boolean {
  return PAIR_PATTERN.test(symbol);
}

/** Normalises user input (`btc-usd`, ` BTC-USD `) or throws an error naming the symbol. */
export function parsePairSymbol(input: string): string {
  const symbol = input.trim().toUpperCase();
  if (!isPairSymbol(symbol)) {
    throw new Error(`invalid pair symbol "${input}": expected something like BTC-USD`);
  }
  return symbol;
}

/** `BTC-USD` → `BTC_USD`, the stem of data and model file names. */
export function pairFileStem(pair: string): string {
  return pair.replace(/-/g, '_');
}
