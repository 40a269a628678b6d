/**
 * A bounded memo keyed by string: cleared when full, which keeps the cost of a lookup and the memory flat.
 * The value comes from the memo's own function, or, for a key that does not carry all its inputs, from
 * the caller's. `undefined` is never stored (it reads as missing).
 */
export class Memo<V> {
  private readonly map = new Map<string, V>();
  constructor(
    private readonly limit: number,
    private readonly compute?: (key: string) => V,
  ) {}
  get(key: string, compute: ((key: string) => V) | undefined = this.compute): V {
    let value = this.map.get(key);
    if (value === undefined) {
      if (!compute) throw new Error('Memo.get: no function to compute a missing value');
      if (this.map.size >= this.limit) this.map.clear();
      value = compute(key);
      this.map.set(key, value);
    }
    return value;
  }
  clear() {
    this.map.clear();
  }
}
