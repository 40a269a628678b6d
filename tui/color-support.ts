/** The FORCE_COLOR that makes chalk (Ink's colours) honour NO_COLOR; nothing when no change is needed. */
export function colorEnv(env: NodeJS.ProcessEnv): { FORCE_COLOR?: string } {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return noColor && env.FORCE_COLOR === undefined ? { FORCE_COLOR: '0' } : {};
}

/**
 * Whether plain-line output to `stream` may carry colours: FORCE_COLOR decides when set (0 or false:
 * never), else NO_COLOR turns them off, else only a terminal gets them.
 */
export function wantsColor(env: NodeJS.ProcessEnv, stream: { isTTY?: boolean }): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force === 'false');
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY);
}
