import type { ExecutionContext } from 'ava';

/** Asserts |actual − expected| ≤ tolerance · max(1, |expected|), with both numbers in the message. */
export function assertClose(
  t: ExecutionContext,
  actual: number | null | undefined,
  expected: number,
  tolerance = 1e-12,
  what = 'value',
): void {
  t.true(
    typeof actual === 'number' && Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected)),
    `${what}: ${String(actual)} ≉ ${expected} (tolerance ${tolerance})`,
  );
}
