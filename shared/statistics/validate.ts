/*
 * Argument checks shared by the statistics. Each throws one line naming the function and the
 * argument, so a caller wiring a job sees at once which input was wrong. They run once per call,
 * never inside a resampling loop.
 */

/** Throws unless `values` is an array of at least `minLength` finite numbers. */
export function checkFiniteSeries(fn: string, name: string, values: ArrayLike<number>, minLength = 1): void {
  if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
    throw new Error(`${fn}: ${name} must be an array of numbers`);
  }
  if (values.length < minLength) {
    throw new Error(
      `${fn}: ${name} has ${values.length} value${values.length === 1 ? '' : 's'}, need at least ${minLength}`,
    );
  }
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`${fn}: ${name}[${k}] is ${String(v)}, need a finite number`);
    }
  }
}

/** Throws unless `value` is an integer ≥ `min` (and ≤ `max` when given). */
export function checkInteger(fn: string, name: string, value: number, min: number, max = Infinity): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new Error(`${fn}: ${name} is ${String(value)}, need an integer ${range}`);
  }
}

/** Throws unless `value` is a finite number > 0. */
export function checkPositive(fn: string, name: string, value: number): void {
  if (typeof value !== 'number' || !(value > 0 && Number.isFinite(value))) {
    throw new Error(`${fn}: ${name} is ${String(value)}, need a positive finite number`);
  }
}

/** Throws unless `value` lies strictly between 0 and 1. */
export function checkOpenUnit(fn: string, name: string, value: number): void {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) {
    throw new Error(`${fn}: ${name} is ${String(value)}, need a number strictly between 0 and 1`);
  }
}

/** Throws unless `value` is a fee per side in [0, 1). */
export function checkFeeRate(fn: string, name: string, value: number): void {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new Error(`${fn}: ${name} is ${String(value)}, need a fee per side in [0, 1)`);
  }
}

/** Throws unless `seed` is an integer the Rng accepts (its low 32 bits are used). */
export function checkSeed(fn: string, seed: number): void {
  if (!Number.isSafeInteger(seed)) throw new Error(`${fn}: seed is ${String(seed)}, need an integer`);
}

/** Throws unless two series have the same length. */
export function checkSameLength(
  fn: string,
  nameA: string,
  a: ArrayLike<unknown>,
  nameB: string,
  b: ArrayLike<unknown>,
): void {
  if (a.length !== b.length) {
    throw new Error(
      `${fn}: ${nameA} has ${a.length} values but ${nameB} has ${b.length}; they must be aligned`,
    );
  }
}
