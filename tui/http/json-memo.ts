import { createHash } from 'node:crypto';

/** A serialised JSON body with its strong ETag. */
export interface JsonBody {
  body: Buffer;
  etag: string;
}

/**
 * Serialises each value once: snapshots of the store are immutable, so the same object always
 * gives the same bytes, and hundreds of requests per second cost one `JSON.stringify`.
 */
export function createJsonMemo<T>(serialise: (value: T) => unknown = (v) => v): (value: T) => JsonBody {
  let lastValue: T | undefined;
  let last: JsonBody | null = null;
  return (value) => {
    if (last !== null && lastValue === value) return last;
    const body = Buffer.from(JSON.stringify(serialise(value)) ?? 'null');
    const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
    lastValue = value;
    last = { body, etag };
    return last;
  };
}
