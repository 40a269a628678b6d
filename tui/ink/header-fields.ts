// Which header fields fit a width: each field has a priority, and the least important are dropped
// whole until the rest fit, so a narrow terminal shows fewer facts instead of overlapping ones.

export interface HeaderField {
  /** Stable name (tests, keys). */
  id: string;
  text: string;
  /** 0 is kept longest. */
  priority: number;
}

/** Columns a row of fields takes, `gap` columns between neighbours. */
export function fieldsWidth(fields: readonly HeaderField[], gap: number): number {
  if (fields.length === 0) return 0;
  return fields.reduce((n, f) => n + Array.from(f.text).length, 0) + gap * (fields.length - 1);
}

/**
 * The fields of a left and a right group that fit in `width` with at least `between` columns between
 * the groups: the lowest-priority field (the rightmost among equals) goes first. Order is kept.
 */
export function fitHeaderFields(
  left: readonly HeaderField[],
  right: readonly HeaderField[],
  width: number,
  gaps: { left: number; right: number; between: number },
): { left: HeaderField[]; right: HeaderField[] } {
  let keptLeft = [...left];
  let keptRight = [...right];
  const total = () =>
    fieldsWidth(keptLeft, gaps.left) +
    fieldsWidth(keptRight, gaps.right) +
    (keptLeft.length > 0 && keptRight.length > 0 ? gaps.between : 0);
  while (total() > width && keptLeft.length + keptRight.length > 1) {
    const all = [...keptLeft, ...keptRight];
    let drop = all[0]!;
    for (const f of all) if (f.priority >= drop.priority) drop = f;
    keptLeft = keptLeft.filter((f) => f !== drop);
    keptRight = keptRight.filter((f) => f !== drop);
  }
  return { left: keptLeft, right: keptRight };
}

/**
 * A short name for the ML backend the workers report: `js-kernel (wasm simd; tfjs wasm for model I/O)`
 * is `kernel·simd`, `tfjs-wasm` stays as it is.
 */
export function shortBackend(backend: string): string {
  const kernel = /^js-kernel\s*\(([^;)]*)/.exec(backend);
  if (kernel) return /simd/i.test(kernel[1] ?? '') ? 'kernel·simd' : 'kernel·js';
  return backend.replace(/\s*\(.*$/, '');
}

/** A short line about the HTTP mirror for the header: its URL, or why it is off. */
export function mirrorLabel(info: { url: string | null; error: string | null }): string {
  if (info.url) return `web ${info.url.replace(/\/$/, '')}`;
  const port = /port (\d+) is already in use/.exec(info.error ?? '');
  return port ? `web off: port ${port[1]} in use` : 'web off: see problems';
}
