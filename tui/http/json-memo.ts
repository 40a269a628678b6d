import { randomBytes } from 'node:crypto';

/** A serialised JSON body with its strong ETag. */
export interface JsonBody {
  body: Buffer;
  etag: string;
}

/** Remembers the result for the last argument by identity: snapshots are immutable, so same object → same result. */
export function memoLast<T, R>(compute: (value: T) => R): (value: T) => R {
  let last: { value: T; result: R } | null = null;
  return (value) => {
    if (last === null || last.value !== value) last = { value, result: compute(value) };
    return last.result;
  };
}

// ETags name a serialisation, not its bytes: hashing 300 KiB ten times a second costs more than the
// rare 304 it would add (identical bytes from a new snapshot just get a fresh tag).
const ETAG_PREFIX = randomBytes(6).toString('base64url');
let generation = 0;

/** Wraps JSON text as a response body with an ETag unique to this serialisation. */
export function jsonBody(text: string): JsonBody {
  generation += 1;
  return { body: Buffer.from(text), etag: `"${ETAG_PREFIX}-${generation}"` };
}
