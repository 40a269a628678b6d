// The dashboard's one key map: commands, the keys bound to them and what they do. The `?` overlay and the
// README's key table are generated from it, so they cannot drift from what the keys really do.

/** Everything a key can ask the dashboard to do. */
export type Command =
  | 'select-prev'
  | 'select-next'
  | 'select-index'
  | 'restart'
  | 'restart-failed'
  | 'sort-next'
  | 'sort-reverse'
  | 'toggle-log'
  | 'toggle-trials'
  | 'filter-next'
  | 'filter-prev'
  | 'page-up'
  | 'page-down'
  | 'go-top'
  | 'go-bottom'
  | 'search'
  | 'search-next'
  | 'search-prev'
  | 'help'
  | 'close'
  | 'confirm'
  | 'quit'
  | 'interrupt';

/** The part of a key press the map looks at (Ink's `Key` fits it). */
export interface KeyPress {
  upArrow: boolean;
  downArrow: boolean;
  leftArrow: boolean;
  rightArrow: boolean;
  escape: boolean;
  ctrl: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
}

export interface KeyBinding {
  command: Command;
  /** How the keys are written in the help and the README. */
  keys: string;
  description: string;
  matches(input: string, key: KeyPress): boolean;
}

/** A resolved key: the command and, for `select-index`, the 0-based worker position. */
export interface KeyCommand {
  command: Command;
  index?: number;
}

/** The key map, in the order the help lists it. */
export const KEY_BINDINGS: readonly KeyBinding[] = [
  {
    command: 'select-prev',
    keys: '↑ / ←',
    description: 'select the previous worker',
    matches: (_input, key) => key.upArrow || key.leftArrow,
  },
  {
    command: 'select-next',
    keys: '↓ / →',
    description: 'select the next worker',
    matches: (_input, key) => key.downArrow || key.rightArrow,
  },
  {
    command: 'select-index',
    keys: '1–9',
    description: 'select worker 1 to 9 (by position)',
    matches: (input, key) => !key.ctrl && /^[1-9]$/.test(input),
  },
  {
    command: 'restart',
    keys: 'r',
    description: 'restart the selected worker (asks y/n)',
    matches: (input, key) => !key.ctrl && input === 'r',
  },
  {
    command: 'restart-failed',
    keys: 'R',
    description: 'restart every failed worker',
    matches: (input, key) => !key.ctrl && input === 'R',
  },
  {
    command: 'sort-next',
    keys: 's',
    description: 'sort the leaderboard (or the trials) by the next column',
    matches: (input, key) => !key.ctrl && input === 's',
  },
  {
    command: 'sort-reverse',
    keys: 'S',
    description: 'reverse the sort direction',
    matches: (input, key) => !key.ctrl && input === 'S',
  },
  {
    command: 'toggle-trials',
    keys: 't',
    description: 'show or hide the trials: every job, its settings and its figures',
    matches: (input, key) => !key.ctrl && input === 't',
  },
  {
    command: 'filter-next',
    keys: 'f',
    description: 'trials: show the next pair only (after the last, all pairs again)',
    matches: (input, key) => !key.ctrl && input === 'f',
  },
  {
    command: 'filter-prev',
    keys: 'F',
    description: 'trials: show the previous pair only',
    matches: (input, key) => !key.ctrl && input === 'F',
  },
  {
    command: 'toggle-log',
    keys: 'l',
    description: "show or hide the selected worker's log",
    matches: (input, key) => !key.ctrl && input === 'l',
  },
  {
    command: 'page-up',
    keys: 'PgUp',
    description: 'scroll the log (or the trials) up a page',
    matches: (_input, key) => Boolean(key.pageUp),
  },
  {
    command: 'page-down',
    keys: 'PgDn',
    description: 'scroll the log (or the trials) down a page',
    matches: (_input, key) => Boolean(key.pageDown),
  },
  {
    command: 'go-top',
    keys: 'g',
    description: 'jump to the oldest log line (or the first trial)',
    matches: (input, key) => !key.ctrl && input === 'g',
  },
  {
    command: 'go-bottom',
    keys: 'G',
    description: 'jump to the newest log line and follow new ones',
    matches: (input, key) => !key.ctrl && input === 'G',
  },
  {
    command: 'search',
    keys: '/',
    description: 'search the log: type, Enter jumps to the newest match, Esc cancels',
    matches: (input, key) => !key.ctrl && input === '/',
  },
  {
    command: 'search-next',
    keys: 'n',
    description: 'next (older) match of the search',
    matches: (input, key) => !key.ctrl && input === 'n',
  },
  {
    command: 'search-prev',
    keys: 'N',
    description: 'previous (newer) match of the search',
    matches: (input, key) => !key.ctrl && input === 'N',
  },
  {
    command: 'help',
    keys: '?',
    description: 'show or hide this help',
    matches: (input, key) => !key.ctrl && input === '?',
  },
  {
    command: 'confirm',
    keys: 'y',
    description: 'yes: answer a question (restart, quit); any other key says no',
    matches: (input, key) => !key.ctrl && input === 'y',
  },
  {
    command: 'close',
    keys: 'Esc',
    description: 'cancel a question; close the help; clear the search',
    matches: (_input, key) => key.escape,
  },
  {
    command: 'quit',
    keys: 'q',
    description: 'quit; in a run asks y first, then stops the run gracefully',
    matches: (input, key) => !key.ctrl && input === 'q',
  },
  {
    command: 'interrupt',
    keys: 'Ctrl-C',
    description: 'quit at once (in a run: stops it gracefully)',
    matches: (input, key) => (key.ctrl && input === 'c') || input === '\u0003',
  },
];

/** Maps one key press to its command, or null when the key is not bound. */
export function commandForKey(input: string, key: KeyPress): KeyCommand | null {
  for (const binding of KEY_BINDINGS) {
    if (!binding.matches(input, key)) continue;
    if (binding.command === 'select-index') return { command: 'select-index', index: Number(input) - 1 };
    return { command: binding.command };
  }
  return null;
}

/** The key map as a Markdown table, for the README. */
export function keymapMarkdown(): string {
  const rows = KEY_BINDINGS.map((b) => `| ${markdownKeys(b.keys)} | ${b.description} |`);
  return ['| key | what it does |', '| --- | --- |', ...rows].join('\n');
}

function markdownKeys(keys: string): string {
  return keys
    .split(' / ')
    .map((k) => `\`${k}\``)
    .join(' / ');
}
