import type { SupervisorCommand } from '../../shared/index.js';
import type { KeyCommand } from '../keymap.js';
import { DEFAULT_TRIAL_SORT, nextTrialSort, type TrialSort } from '../trial-columns.js';
import { DEFAULT_SORT, type LeaderboardSort, nextSort } from './leaderboard-columns.js';
import { findMatch, INITIAL_LOG_VIEW, type LogView, scrollBy, scrollTo, typeInSearch } from './log-view.js';

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
  /** The log pane's scroll and search. */
  log: LogView;
  /** The trials view (every job): open, its sort, the one pair shown (null: all), its scroll. */
  trials: { show: boolean; sort: TrialSort; pair: string | null; scroll: number };
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
  /** The selected worker's log lines (search and scroll work on them). */
  logLines?: readonly string[];
  /** Lines the log pane shows (a page). */
  logPage?: number;
  /** The pairs of the trials, in plan order (the filter walks them), and rows the trials view shows. */
  trialPairs?: readonly string[];
  trialRows?: number;
  trialPage?: number;
}

/** The parts of a raw key press that matter while a search is typed. */
export interface TextKey {
  return?: boolean;
  backspace?: boolean;
  delete?: boolean;
  escape?: boolean;
}

export type ViewAction =
  | { type: 'key'; key: KeyCommand | null; ctx: KeyContext; input?: string; raw?: TextKey }
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
    log: INITIAL_LOG_VIEW,
    trials: { show: false, sort: DEFAULT_TRIAL_SORT, pair: null, scroll: 0 },
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
      // While a search is typed, keys are its text (a fast `/err` arrives as one read: `r` is not restart).
      if (view.log.search?.editing && action.key?.command !== 'interrupt') {
        return onSearchText(view, action.input ?? '', action.raw ?? {}, action.ctx);
      }
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
      if (view.trials.show)
        return { ...view, trials: { ...view.trials, sort: nextTrialSort(view.trials.sort) } };
      return { ...view, sort: nextSort(view.sort) };
    case 'sort-reverse':
      if (view.trials.show) {
        const sort = view.trials.sort;
        return { ...view, trials: { ...view.trials, sort: { ...sort, direction: flip(sort.direction) } } };
      }
      return { ...view, sort: { ...view.sort, direction: flip(view.sort.direction) } };
    case 'toggle-trials':
      return { ...view, trials: { ...view.trials, show: !view.trials.show } };
    case 'filter-next':
    case 'filter-prev':
      return filterTrials(view, key.command === 'filter-next' ? 1 : -1, ctx);
    case 'toggle-log':
      return { ...view, showLog: !view.showLog };
    case 'page-up':
    case 'page-down':
    case 'go-top':
    case 'go-bottom':
      return view.trials.show ? scrollTrials(view, key.command, ctx) : scrollLog(view, key.command, ctx);
    case 'search':
      return {
        ...view,
        showLog: true,
        log: { ...view.log, search: { query: '', editing: true }, match: null },
        status: null,
      };
    case 'search-next':
    case 'search-prev': {
      const found = findMatch(
        view.log,
        ctx.logLines ?? [],
        key.command === 'search-next' ? 'older' : 'newer',
        ctx.logPage ?? 10,
      );
      return status({ ...view, log: found.view }, found.message, ctx.now);
    }
    case 'help':
      return { ...view, showHelp: !view.showHelp };
    case 'close':
      if (view.log.search) return { ...view, log: { ...view.log, search: null, match: null } };
      return view.status ? { ...view, status: null } : view;
    case 'quit':
      if (ctx.mode === 'run' && !ctx.finished)
        return { ...view, confirm: { kind: 'quit' }, showHelp: false, status: null };
      return withEffect(view, { kind: 'quit' });
    default:
      return view;
  }
}

const flip = (d: 'asc' | 'desc') => (d === 'asc' ? 'desc' : 'asc');

function onSearchText(view: ViewState, input: string, raw: TextKey, ctx: KeyContext): ViewState {
  const typed = typeInSearch(view.log, input, raw);
  const next = { ...view, log: typed.view };
  if (typed.done !== 'search') return next;
  const found = findMatch(typed.view, ctx.logLines ?? [], 'newest', ctx.logPage ?? 10);
  return status({ ...next, log: found.view }, found.message, ctx.now);
}

function scrollLog(view: ViewState, command: string, ctx: KeyContext): ViewState {
  const total = ctx.logLines?.length ?? 0;
  const page = Math.max(1, ctx.logPage ?? 10);
  const log =
    command === 'page-up'
      ? scrollBy(view.log, page, total, page)
      : command === 'page-down'
        ? scrollBy(view.log, -page, total, page)
        : scrollTo(view.log, command === 'go-top' ? 'top' : 'bottom', total, page);
  return log === view.log ? view : { ...view, showLog: true, log };
}

function scrollTrials(view: ViewState, command: string, ctx: KeyContext): ViewState {
  const page = Math.max(1, ctx.trialPage ?? 10);
  const max = Math.max(0, (ctx.trialRows ?? 0) - page);
  const at = view.trials.scroll;
  const scroll =
    command === 'page-up' ? at - page : command === 'page-down' ? at + page : command === 'go-top' ? 0 : max;
  return { ...view, trials: { ...view.trials, scroll: Math.max(0, Math.min(max, scroll)) } };
}

/** `f`/`F`: one pair after another, then all pairs again. */
function filterTrials(view: ViewState, step: 1 | -1, ctx: KeyContext): ViewState {
  const pairs = ctx.trialPairs ?? [];
  if (pairs.length === 0) return status(view, 'no trials yet', ctx.now);
  const options = [null, ...pairs];
  const at = options.indexOf(view.trials.pair);
  const pair = options[(at + step + options.length) % options.length] ?? null;
  return { ...view, trials: { ...view.trials, show: true, pair, scroll: 0 } };
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
