import { readFileSync } from 'node:fs';

/** Descriptors the mirror always leaves to the rest of the process (its files, watches, workers). */
export const RESERVED_DESCRIPTORS = 256;
const MIN_CONNECTIONS = 16;
const MAX_CONNECTIONS = 512;

/** This process's soft limit of open files (Linux /proc/self/limits), or null when unknown. */
export function descriptorLimit(limitsText?: string): number | null {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return null;
    }
  }
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(text);
  if (!m?.[1]) return null;
  return m[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(m[1]);
}

/**
 * How many connections the mirror holds at once: half of what the descriptor limit leaves after a
 * reserve for the supervisor, between 16 and 512 (512 when the limit is unknown is too many for a
 * 1024 limit, so unknown counts as 1024). Connections past the cap are closed as they arrive, so
 * the mirror can be flooded but never starve the process of descriptors (issue 10: 1,000 half-sent
 * requests made the supervisor's own writes fail with EMFILE).
 */
export function connectionCap(limit: number | null): number {
  const usable = Math.floor(((limit ?? 1024) - RESERVED_DESCRIPTORS) / 2);
  return Math.max(MIN_CONNECTIONS, Math.min(MAX_CONNECTIONS, usable));
}
