/** Hourly returns as text for a JSON file: float64, little-endian, base64 (exact, ~11 bytes an hour). */
export function encodeReturns(returns: Float64Array): string {
  const bytes = Buffer.alloc(returns.length * 8);
  for (let k = 0; k < returns.length; k++) bytes.writeDoubleLE(returns[k]!, k * 8);
  return bytes.toString('base64');
}

/** Reads returns written by encodeReturns; errors name `source`. */
export function decodeReturns(text: string, source: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % 8 !== 0) {
    throw new Error(
      `${source}: pooledReturns holds ${bytes.length} bytes, not a whole number of float64 values`,
    );
  }
  const returns = new Float64Array(bytes.length / 8);
  for (let k = 0; k < returns.length; k++) {
    const r = bytes.readDoubleLE(k * 8);
    if (!Number.isFinite(r)) throw new Error(`${source}: pooledReturns[${k}] is ${r}`);
    returns[k] = r;
  }
  return returns;
}
