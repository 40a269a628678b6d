/** One hint of the footer line and how much it matters (0 = never dropped, higher = dropped first). */
export interface FooterHint {
  text: string;
  rank: number;
}

/**
 * The hints that fit in `width`, in their order: the least important go first, so `? help` and
 * `q quit` stay visible on an 80-column terminal instead of being cut off at the end of the line.
 */
export function fitHints(hints: readonly FooterHint[], width: number, separator = ' · '): string {
  const kept = [...hints];
  const length = () => kept.reduce((n, h, i) => n + [...h.text].length + (i > 0 ? separator.length : 0), 0);
  while (kept.length > 1 && length() > width) {
    let drop = -1;
    for (let i = 0; i < kept.length; i++) {
      if (kept[i]!.rank > 0 && (drop < 0 || kept[i]!.rank >= kept[drop]!.rank)) drop = i;
    }
    if (drop < 0) break;
    kept.splice(drop, 1);
  }
  return kept.map((h) => h.text).join(separator);
}
