/**
 * A job's seed from its worker's seed and its id (FNV-1a over the id, mixed with the seed): the same
 * job gets the same seed on every start of the worker, so a resumed or rerun job is reproducible.
 */
export function jobSeed(workerSeed: number, jobId: string): number {
  let h = (0x811c9dc5 ^ workerSeed) >>> 0;
  for (let i = 0; i < jobId.length; i++) {
    h ^= jobId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}
