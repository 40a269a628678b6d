import { useCallback, useEffect, useRef, useState } from 'react';

export interface ViewClock {
  /** Now as of this render. */
  now: number;
  /** Now at the moment of the call (for key handlers and promise callbacks between renders). */
  read(): number;
}

/**
 * The view's notion of now: the state's clock plus the local time since that clock last moved, re-rendered
 * `tickMs` after the last render so heartbeat ages and backoff countdowns keep counting between store
 * updates. The tick waits for a quiet `tickMs` rather than firing on a fixed interval: a dashboard redrawn by
 * store updates anyway needs no extra frame for its clock (each frame costs the supervisor's core).
 */
export function useViewClock(stateNow: number, clock: () => number, tickMs: number): ViewClock {
  const anchor = useRef({ stateNow, at: clock(), clock });
  if (anchor.current.stateNow !== stateNow) anchor.current = { stateNow, at: clock(), clock };
  const [, setTick] = useState(0);
  // After every render (no dependency list): each render starts the wait for the next tick again.
  useEffect(() => {
    if (tickMs <= 0) return;
    const timer = setTimeout(() => setTick((t) => t + 1), tickMs);
    return () => clearTimeout(timer);
  });
  const read = useCallback(() => {
    const { stateNow: base, at, clock: wall } = anchor.current;
    return base + Math.max(0, wall() - at);
  }, []);
  return { now: read(), read };
}
