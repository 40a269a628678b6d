// Errors that say the machine is in trouble (disk full, no descriptors left, I/O error), not that
// the job is wrong: retrying the job later, from its checkpoint, is the cure.
const MACHINE_CODES = new Set(['ENOSPC', 'EDQUOT', 'EMFILE', 'ENFILE', 'EIO', 'EROFS', 'ENOMEM']);

/** Whether an error (or one it wraps) is the machine's trouble rather than the job's. */
export function isMachineTrouble(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code && MACHINE_CODES.has(code)) return true;
    // Some libraries rethrow fs errors as plain Errors that only keep the code in their message.
    const message = e instanceof Error ? e.message : String(e);
    if (/\b(ENOSPC|EDQUOT|EMFILE|ENFILE|EROFS)\b/.test(message)) return true;
  }
  return false;
}
