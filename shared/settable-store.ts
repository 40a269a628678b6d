import type { DashboardState, StateStore } from './dashboard-state.js';

/**
 * A store driven by hand: `set` swaps the snapshot and notifies. For a state that does not come from a
 * run (tests, the HTTP load bench, a view over a state read once from files).
 */
export interface SettableStore extends StateStore {
  set(state: DashboardState): void;
  /** How many subscribers are attached (views must unsubscribe when they close). */
  readonly listeners: number;
}

/** A store over `initial`, notifying synchronously on every `set`. */
export function settableStore(initial: DashboardState): SettableStore {
  let snapshot = initial;
  const listeners = new Set<() => void>();
  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(state) {
      snapshot = state;
      for (const listener of [...listeners]) listener();
    },
    get listeners() {
      return listeners.size;
    },
  };
}
