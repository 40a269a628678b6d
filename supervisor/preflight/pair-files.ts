import { DEFAULT_PAIRS, pairDataFile } from '../../shared/index.js';
import { didYouMean } from './did-you-mean.js';

const DATA_FILE = /^([A-Za-z0-9]+(?:_[A-Za-z]+)?)_data\.csv$/;

/** The pairs a folder holds candles for, from its `PAIR_data.csv` names (`BTC_USD_data.csv` → `BTC-USD`). */
export function pairsInFolder(names: readonly string[]): string[] {
  return names.flatMap((name) => {
    const m = DATA_FILE.exec(name);
    return m ? [m[1]!.replace('_', '-').toUpperCase()] : [];
  });
}

/**
 * The first pair without its `PAIR_data.csv` in `folder`, as one line naming the flag and the file, with
 * a did-you-mean from the folder's own pairs and the seed's pairs; null when every file is there.
 */
export function missingPairFile(
  pairs: readonly string[],
  folder: string,
  names: readonly string[],
  flag: string,
): string | null {
  const present = new Set(names);
  const available = pairsInFolder(names);
  for (const pair of pairs) {
    const file = pairDataFile(folder, pair);
    if (present.has(file.slice(folder.length + 1))) continue;
    const guess = didYouMean(pair, [...available, ...DEFAULT_PAIRS]);
    const hint = guess ? `; did you mean ${guess}?` : '';
    const has =
      available.length === 0
        ? 'it holds no PAIR_data.csv file'
        : `it has ${available.slice(0, 6).join(', ')}${available.length > 6 ? ', …' : ''}`;
    return `--pairs ${pair}: no candle file ${file} in ${flag} (${has})${hint}`;
  }
  return null;
}
