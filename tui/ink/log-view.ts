// The log pane's view state as pure functions: scrolling (PgUp/PgDn, g/G) and searching (/, n/N), as
// k9s and lazygit do. Positions count from the newest line (0 = the last line), so a pane that
// follows the log stays at 0 while lines arrive.

export interface LogSearch {
  query: string;
  /** True while the query is being typed (keys are text then, not commands). */
  editing: boolean;
}

export interface LogView {
  /** Lines between the newest line and the bottom of the pane; 0 follows new lines. */
  scroll: number;
  search: LogSearch | null;
  /** The current match, as a distance from the newest line; null when none. */
  match: number | null;
}

export const INITIAL_LOG_VIEW: LogView = { scroll: 0, search: null, match: null };

/** Distances from the newest line of the lines containing `query` (case-insensitive), newest first. */
export function matchDistances(lines: readonly string[], query: string): number[] {
  if (query === '') return [];
  const needle = query.toLowerCase();
  const out: number[] = [];
  for (let d = 0; d < lines.length; d++) {
    if ((lines[lines.length - 1 - d] ?? '').toLowerCase().includes(needle)) out.push(d);
  }
  return out;
}

const clampScroll = (scroll: number, total: number, page: number) =>
  Math.max(0, Math.min(scroll, Math.max(0, total - page)));

/** Scrolls by `delta` lines (positive: towards older lines). */
export function scrollBy(view: LogView, delta: number, total: number, page: number): LogView {
  const scroll = clampScroll(view.scroll + delta, total, page);
  return scroll === view.scroll ? view : { ...view, scroll };
}

/** The oldest line at the top of the pane (`g`), or following the newest (`G`). */
export function scrollTo(view: LogView, where: 'top' | 'bottom', total: number, page: number): LogView {
  return { ...view, scroll: where === 'bottom' ? 0 : clampScroll(total, total, page) };
}

/** Brings a match into the middle of the pane. */
function showMatch(view: LogView, match: number, total: number, page: number): LogView {
  return { ...view, match, scroll: clampScroll(match - Math.floor(page / 2), total, page) };
}

/** Goes to the newest match, or the next older (`n`) or newer (`N`) one, wrapping around. */
export function findMatch(
  view: LogView,
  lines: readonly string[],
  which: 'newest' | 'older' | 'newer',
  page: number,
): { view: LogView; message: string } {
  const query = view.search?.query ?? '';
  if (query === '') return { view, message: 'no search: press / and type' };
  const found = matchDistances(lines, query);
  if (found.length === 0) return { view: { ...view, match: null }, message: `/${query}: not found` };
  let index = 0;
  const current = view.match;
  if (which === 'older' && current !== null) {
    const next = found.findIndex((d) => d > current);
    index = Math.max(0, next);
  } else if (which === 'newer' && current !== null) {
    const earlier = found.filter((d) => d < current).length - 1;
    index = earlier >= 0 ? earlier : found.length - 1;
  }
  const match = found[index]!;
  return {
    view: showMatch(view, match, lines.length, page),
    message: `/${query}: match ${index + 1} of ${found.length}${found.length > 1 ? ' (n older, N newer)' : ''}`,
  };
}

/** A key while the query is typed: text, Backspace, Enter (search) or Esc (cancel). */
export function typeInSearch(
  view: LogView,
  input: string,
  key: { return?: boolean; backspace?: boolean; delete?: boolean; escape?: boolean },
): { view: LogView; done: 'search' | 'cancel' | null } {
  const search = view.search ?? { query: '', editing: true };
  if (key.escape) return { view: { ...view, search: null, match: null }, done: 'cancel' };
  if (key.return) {
    if (search.query === '') return { view: { ...view, search: null, match: null }, done: 'cancel' };
    return { view: { ...view, search: { ...search, editing: false } }, done: 'search' };
  }
  if (key.backspace || key.delete) {
    return {
      view: { ...view, search: { ...search, query: Array.from(search.query).slice(0, -1).join('') } },
      done: null,
    };
  }
  // Printable text only: control sequences (arrows…) are ignored while typing.
  const text = Array.from(input)
    .filter((c) => c >= ' ' && c !== '\u007f')
    .join('');
  if (text === '') return { view, done: null };
  return { view: { ...view, search: { ...search, query: search.query + text } }, done: null };
}
