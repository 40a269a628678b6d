import type { SupervisorCommand } from '../../shared/contract.js';
import type { KeyCommand } from '../keymap.js';
import { DEFAULT_SORT, type LeaderboardSort, nextSort } from './leaderboard-columns.js';

// The dashboard's view-only state (selection, sort, panes, the open question) as a pure reducer. Keys that
// arrive in one frame are each seen in order; side effects (sending a command, quitting) are queued as
// `effects` for the app to run after the render, so the reducer stays pure.

export type Confirm = { kind: 'restart'; workerId: number } | { kind: 'quit' };

export type ViewEffect =
  | { id: number; kind: 'send'; command: SupervisorCommand }
  /** `interrupted`: quit by Ctrl-C, which ends a run as SIGINT does. */
  | { id: number; kind: 'quit'; interrupted?: boolean };

export interface ViewState {
  /** The selected worker's id; null → the first worker. */
  selectedWorkerId: number | null;
  sort: LeaderboardSort;
  showLog: boolean;
  showHelp: boolean;
  confirm: Confirm | null;
  /** A transient line under the screen (a command's answer), with the clock time it appeared. */
  status: { text: string; at: number } | null;
  effects: ViewEffect[];
  nextEffectId: number;
}

/** What the reducer needs to know of the world when a key arrives. */
export interface KeyContext {
  workerIds: readonly number[];
  mode: 'run' | 'attach';
  canControl: boolean;
  now: number;
  /** The run is over: quitting stops nothing, so it needs no confirmation. */
  finished?: boolean;
}

export type ViewAction =
  | { type: 'key'; key: KeyCommand | null; ctx: KeyContext }
  | { type: 'status'; text: string; at: number }
  | { type: 'effects-done'; upTo: number };

/** How long a status line stays, in ms. */
export const STATUS_MS = 6_000;

/** The message restart keys show when nobody can carry them out. */
export const READ_ONLY_MESSAGE = 'read-only: no supervisor running';

/** A fresh view: first worker, best P/L first, the log pane as asked, no help. */
export function initialViewState(showLog = false): ViewState {
  return {
    selectedWorkerId: null,
    sort: DEFAULT_SORT,
    showLog,
    showHelp: false,
    confirm: null,
    status: null,
    effects: [],
    nextEffectId: 1,
  };
}

/** The worker id the view has selected, falling back to the first worker when unset or gone. */
export function selectedId(view: ViewState, workerIds: readonly number[]): number | null {
  if (view.selectedWorkerId !== null && workerIds.includes(view.selectedWorkerId))
    return view.selectedWorkerId;
  return workerIds[0] ?? null;
}

/** The pure reducer of the view state. */
export function viewReducer(view: ViewState, action: ViewAction): ViewState {
  switch (action.type) {
    case 'status':
      return { ...view, status: { text: action.text, at: action.at } };
    case 'effects-done':
      return { ...view, effects: view.effects.filter((e) => e.id > action.upTo) };
    case 'key':
      return onKey(view, action.key, action.ctx);
  }
}

function onKey(view: ViewState, key: KeyCommand | null, ctx: KeyContext): ViewState {
  if (key?.command === 'interrupt') {
    return withEffect({ ...view, confirm: null }, { kind: 'quit', interrupted: true });
  }
  if (view.confirm) return answer(view, key, ctx);
  if (key === null) return view;
  if (view.showHelp) {
    if (key.command === 'help' || key.command === 'close') return { ...view, showHelp: false };
    if (key.command !== 'quit') return view;
  }
  const current = selectedId(view, ctx.workerIds);
  switch (key.command) {
    case 'select-prev':
    case 'select-next': {
      const n = ctx.workerIds.length;
      if (n === 0) return view;
      const at = Math.max(0, current === null ? 0 : ctx.workerIds.indexOf(current));
      const next = (at + (key.command === 'select-next' ? 1 : n - 1)) % n;
      return { ...view, selectedWorkerId: ctx.workerIds[next] ?? null };
    }
    case 'select-index': {
      const id = ctx.workerIds[key.index ?? -1];
      if (id === undefined) return status(view, `no worker at position ${(key.index ?? 0) + 1}`, ctx.now);
      return { ...view, selectedWorkerId: id };
    }
    case 'restart':
      if (!ctx.canControl) return status(view, READ_ONLY_MESSAGE, ctx.now);
      if (current === null) return status(view, 'no worker to restart', ctx.now);
      return { ...view, confirm: { kind: 'restart', workerId: current }, status: null };
    case 'restart-failed':
      if (!ctx.canControl) return status(view, READ_ONLY_MESSAGE, ctx.now);
      return withEffect(status(view, 'asking to restart every failed worker…', ctx.now), {
        kind: 'send',
        command: { type: 'restart-failed' },
      });
    case 'sort-next':
      return { ...view, sort: nextSort(view.sort) };
    case 'sort-reverse':
      return { ...view, sort: { ...view.sort, direction: view.sort.direction === 'asc' ? 'desc' : 'asc' } };
    case 'toggle-log':
      return { ...view, showLog: !view.showLog };
    case 'help':
      return { ...view, showHelp: !view.showHelp };
    case 'close':
      return view.status ? { ...view, status: null } : view;
    case 'quit':
      if (ctx.mode === 'run' && !ctx.finished)
        return { ...view, confirm: { kind: 'quit' }, showHelp: false, status: null };
      return withEffect(view, { kind: 'quit' });
    default:
      return view;
  }
}

// One-key confirmation: `y` carries the question out, any other key drops it.
function answer(view: ViewState, key: KeyCommand | null, ctx: KeyContext): ViewState {
  const confirm = view.confirm;
  const cleared = { ...view, confirm: null };
  if (!confirm || key?.command !== 'confirm') return status(cleared, 'cancelled', ctx.now);
  if (confirm.kind === 'quit') return withEffect(cleared, { kind: 'quit' });
  return withEffect(status(cleared, `asking to restart worker ${confirm.workerId}…`, ctx.now), {
    kind: 'send',
    command: { type: 'restart', workerId: confirm.workerId },
  });
}

function status(view: ViewState, text: string, at: number): ViewState {
  return { ...view, status: { text, at } };
}

function withEffect(
  view: ViewState,
  effect: { kind: 'send'; command: SupervisorCommand } | { kind: 'quit'; interrupted?: boolean },
): ViewState {
  const id = view.nextEffectId;
  return { ...view, effects: [...view.effects, { ...effect, id }], nextEffectId: id + 1 };
}
