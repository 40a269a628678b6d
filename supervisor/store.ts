import type { DashboardState, StateStore } from '../shared/index.js';
import type { SupervisorEvent } from './events.js';
import { reduce } from './reducer.js';

export interface StoreOptions {
  /** Subscribers hear of changes at most once per this many ms (default 100: ≤ 10 redraws a second). */
  batchMs?: number;
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  /** A throwing subscriber must not stop the others or the supervisor's loop. */
  onListenerError?: (error: unknown) => void;
}

/**
 * How often the views hear of a run's changes. Workers write their status about once a second each, so a
 * short batch meant a redraw for nearly every file (several frames a second with 4 workers), each costing
 * the supervisor's core: once a second, as `top` and `htop` refresh, is as fast as a person reads a
 * changing number. Keys do not wait for it: they redraw at once.
 */
export const VIEW_BATCH_MS = 1000;

/**
 * The batch for headless runs: they print a line per finished episode, and an episode can take under
 * half a second, so a second's batch would fold two episodes into one line. Printing a line costs little.
 */
export const HEADLESS_BATCH_MS = 250;

export type SupervisorStore = StateStore & {
  /** Reduces synchronously (getSnapshot sees it at once); subscribers are told in the next batch. */
  dispatch(event: SupervisorEvent): void;
  /** Tells subscribers now about a pending change (before exit, after the final report). */
  flush(): void;
  /** Cancels the pending batch and stops notifying; dispatch still reduces. */
  close(): void;
};

/** A store over the pure reducer that batches notifications, so views redraw at a bounded rate. */
export function createStore(initial: DashboardState, options: StoreOptions = {}): SupervisorStore {
  const batchMs = options.batchMs ?? 100;
  const schedule = options.setTimeout ?? ((cb, ms) => setTimeout(cb, ms));
  const cancel = options.clearTimeout ?? ((h) => clearTimeout(h as NodeJS.Timeout));
  const onError =
    options.onListenerError ??
    ((error: unknown) => process.emitWarning(`dashboard subscriber failed: ${String(error)}`));
  const listeners = new Set<() => void>();
  let state = initial;
  let notified = initial;
  let timer: unknown = null;
  let closed = false;

  const notify = () => {
    timer = null;
    if (state === notified) return;
    notified = state;
    for (const listener of [...listeners]) {
      try {
        listener();
      } catch (error) {
        onError(error);
      }
    }
  };

  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    dispatch(event) {
      const next = reduce(state, event);
      if (next === state) return;
      state = next;
      if (closed || timer !== null) return;
      timer = schedule(notify, batchMs);
    },
    flush() {
      if (timer !== null) cancel(timer);
      if (closed) return;
      notify();
    },
    close() {
      if (timer !== null) cancel(timer);
      timer = null;
      closed = true;
      listeners.clear();
    },
  };
}
