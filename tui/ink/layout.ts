// How the screen is shared out for a terminal size: pure, so the choices are tested without a terminal.

export type WorkerStyle = 'panel' | 'row2' | 'row1';

export interface DashboardLayout {
  width: number;
  /** Lines the app draws: one less than the terminal so Ink never scrolls or clears the whole screen. */
  height: number;
  workerStyle: WorkerStyle;
  /** Panels per grid row (style `panel`). */
  panelColumns: number;
  panelWidth: number;
  /** Lines the worker section takes. */
  workerLines: number;
  /**
   * Workers shown at once. Fewer than the fleet when it does not fit in one line each: the list then
   * scrolls with the selection and spends one of its lines saying which part is shown.
   */
  workerRows: number;
  sparkWidth: number;
  barWidth: number;
  /** Leaderboard data rows that fit (0 hides the section). */
  leaderboardRows: number;
  /** Log lines that fit when the log pane is open (0 when closed). */
  logLines: number;
  /** Very wide terminals put the log pane beside the leaderboard instead of under it. */
  logBeside: boolean;
  /** Columns the leaderboard takes (all of them unless the log sits beside it). */
  leaderboardWidth: number;
}

export const HEADER_LINES = 3;
export const FOOTER_LINES = 1;
/** A worker panel: 5 lines of content inside a border. */
export const PANEL_LINES = 7;
/** Panels get at least this many columns; below it workers are drawn as compact rows. */
export const MIN_PANEL_WIDTH = 56;
/** Terminals at least this wide draw panels (if they also fit in height). */
export const PANEL_MIN_COLUMNS = 100;
/** Leaderboard and log sections each spend 2 lines on a title and a header or margin. */
const SECTION_CHROME = 2;
/** From this width the log pane sits beside the leaderboard. */
export const LOG_BESIDE_COLUMNS = 160;
/** Columns the leaderboard gets when the log pane sits beside it (every column fits). */
export const SIDE_LEADERBOARD_WIDTH = 104;

export interface LayoutInput {
  columns: number;
  rows: number;
  workers: number;
  showLog: boolean;
}

/** Shares the terminal out between header, workers, leaderboard, log pane and footer. */
export function computeLayout({ columns, rows, workers, showLog }: LayoutInput): DashboardLayout {
  const width = Math.max(40, Math.floor(columns || 80));
  const height = Math.max(12, Math.floor(rows || 24) - 1);
  const body = height - HEADER_LINES - FOOTER_LINES;
  const n = Math.max(1, workers);
  // Keep room for the leaderboard's title, header and a few rows (or the log pane) under the workers.
  const minRest = SECTION_CHROME + Math.min(5, Math.max(3, Math.floor(body / 5)));

  let workerStyle: WorkerStyle = 'row1';
  let panelColumns = 1;
  let workerLines = n;
  if (width >= PANEL_MIN_COLUMNS) {
    const maxColumns = Math.max(1, Math.min(4, Math.floor(width / MIN_PANEL_WIDTH)));
    const gridRows = Math.ceil(n / Math.min(maxColumns, n));
    const columnsUsed = Math.ceil(n / gridRows);
    // A single column of panels wastes the width and the height: compact rows read better then.
    if ((columnsUsed > 1 || n === 1) && gridRows * PANEL_LINES + minRest <= body) {
      workerStyle = 'panel';
      panelColumns = columnsUsed;
      workerLines = gridRows * PANEL_LINES;
    }
  }
  if (workerStyle === 'row1' && n * 2 + minRest <= body) {
    workerStyle = 'row2';
    workerLines = n * 2;
  }
  let workerRows = n;
  // An open log pane under the leaderboard needs its own room besides the leaderboard's.
  const logRoom = showLog && width < LOG_BESIDE_COLUMNS ? SECTION_CHROME + 3 : 0;
  if (workerStyle === 'row1' && n + minRest + logRoom > body) {
    // A fleet (256 workers) never pushes the leaderboard or the log off: the list scrolls instead.
    workerLines = Math.max(2, body - minRest - logRoom);
    workerRows = workerLines - 1;
  }

  const panelWidth = Math.floor(width / panelColumns);
  const rest = Math.max(0, body - workerLines);
  let logLines = 0;
  let leaderboardSpace = rest;
  const logBeside = showLog && width >= LOG_BESIDE_COLUMNS;
  if (logBeside) {
    logLines = Math.max(0, rest - SECTION_CHROME);
  } else if (showLog) {
    // The log pane takes half of what is left (at least 3 lines), the leaderboard keeps the rest.
    const logSpace = Math.max(SECTION_CHROME + 3, Math.floor(rest / 2));
    logLines = Math.max(0, Math.min(rest, logSpace) - SECTION_CHROME);
    leaderboardSpace = rest - (logLines > 0 ? logLines + SECTION_CHROME : 0);
  }
  const leaderboardRows = Math.max(0, leaderboardSpace - SECTION_CHROME);

  const contentWidth = workerStyle === 'panel' ? panelWidth - 4 : width;
  return {
    width,
    height,
    workerStyle,
    panelColumns,
    panelWidth,
    workerLines,
    workerRows,
    sparkWidth: clamp(Math.floor(contentWidth / (workerStyle === 'panel' ? 2.6 : 11)), 4, 50),
    barWidth: clamp(Math.floor(contentWidth / (workerStyle === 'panel' ? 2.4 : 10)), 5, 40),
    leaderboardRows,
    logLines,
    logBeside,
    leaderboardWidth: logBeside ? SIDE_LEADERBOARD_WIDTH : width,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
