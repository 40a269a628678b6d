import { useCallback, useEffect, useRef, useState } from 'react';

export interface ViewClock {
  /** Now as of this render. */
  now: number;
  /** Now at the moment of the call (for key handlers and promise callbacks between renders). */
  read(): number;
}

/**
 * The view's notion of now: the state's clock plus the local time since that clock last moved, re-rendered
 * every `tickMs` so heartbeat ages and backoff countdowns keep counting between store updates (and nothing
 * else re-renders an idle dashboard).
 */
export function useViewClock(stateNow: number, clock: () => number, tickMs: number): ViewClock {
  const anchor = useRef({ stateNow, at: clock(), clock });
  if (anchor.current.stateNow !== stateNow) anchor.current = { stateNow, at: clock(), clock };
  const [, setTick] = useState(0);
  useEffect(() => {
    if (tickMs <= 0) return;
    const timer = setInterval(() => setTick((t) => t + 1), tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);
  const read = useCallback(() => {
    const { stateNow: base, at, clock: wall } = anchor.current;
    return base + Math.max(0, wall() - at);
  }, []);
  return { now: read(), read };
}
