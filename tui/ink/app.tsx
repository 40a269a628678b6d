import { Box, type Key, useApp, useStdin } from 'ink';
import { useCallback, useEffect, useReducer, useRef, useSyncExternalStore } from 'react';
import { canSendCommands, type DashboardActions, type StateStore } from '../../shared/index.js';
import { commandForKey } from '../keymap.js';
import { trialPairs } from '../trial-columns.js';
import { Footer } from './footer.js';
import { Header } from './header.js';
import { HelpOverlay } from './help-overlay.js';
import { KeyInput } from './key-input.js';
import { computeLayout, FOOTER_LINES, HEADER_LINES } from './layout.js';
import { Leaderboard } from './leaderboard.js';
import { LogPane } from './log-pane.js';
import { PaperTraders } from './paper-traders.js';
import { TrialsView } from './trials-view.js';
import { type TerminalSize, useTerminalSize } from './use-terminal-size.js';
import { useViewClock } from './use-view-clock.js';
import { initialViewState, type KeyContext, STATUS_MS, selectedId, viewReducer } from './view-state.js';
import { WorkerList } from './worker-list.js';

/** Terminals at least this tall open the log pane at start. */
export const LOG_OPEN_ROWS = 36;

export interface DashboardAppProps {
  store: StateStore;
  actions: DashboardActions;
  /** `run`: this process started the run (quitting stops it, so it asks first); `attach`: a viewer. */
  mode: 'run' | 'attach';
  /** Wall clock for ages and countdowns between store updates (tests freeze it). */
  clock?: () => number;
  /** Re-render period for ages and countdowns; 0 disables the tick. */
  tickMs?: number;
  /** Pins the terminal size instead of reading stdout (tests). */
  size?: TerminalSize;
}

/** The whole dashboard: header, workers, leaderboard, log pane, help and the key handling. */
export function DashboardApp({
  store,
  actions,
  mode,
  clock = Date.now,
  tickMs = 1000,
  size,
}: DashboardAppProps) {
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { columns, rows } = useTerminalSize(size);
  const { now, read: readNow } = useViewClock(state.now, clock, tickMs);
  // Tall terminals have room for the log pane from the start (`l` still toggles it).
  const [view, dispatch] = useReducer(viewReducer, rows >= LOG_OPEN_ROWS, initialViewState);
  const { isRawModeSupported } = useStdin();
  const { exit } = useApp();

  const workerIds = state.workers.map((w) => w.workerId);
  const layout = computeLayout({ columns, rows, workers: state.workers.length, showLog: view.showLog });
  const selected = selectedId(view, workerIds);
  const selectedWorker = state.workers.find((w) => w.workerId === selected) ?? null;
  const trials = state.trials ?? [];
  // The trials view takes the whole body: its title and column header, then rows.
  const trialRows = Math.max(1, layout.height - HEADER_LINES - FOOTER_LINES - 2);
  const shownTrials =
    view.trials.pair === null ? trials.length : trials.filter((t) => t.pair === view.trials.pair).length;
  // The input handler reads the latest context through a ref: keys arrive between renders.
  const canControl = canSendCommands(state);
  const keyContext: KeyContext = {
    workerIds,
    mode,
    canControl,
    now,
    finished: state.finished,
    logLines: selectedWorker?.logTail ?? [],
    logPage: Math.max(1, layout.logLines || 10),
    trialPairs: trialPairs(trials),
    trialRows: shownTrials,
    trialPage: trialRows,
  };
  const context = useRef<KeyContext>(keyContext);
  context.current = keyContext;

  const onKey = useCallback(
    (input: string, key: Key) => {
      dispatch({
        type: 'key',
        key: commandForKey(input, key),
        ctx: { ...context.current, now: readNow() },
        input,
        raw: { return: key.return, backspace: key.backspace, delete: key.delete, escape: key.escape },
      });
    },
    [readNow],
  );

  useEffect(() => {
    const last = view.effects[view.effects.length - 1];
    if (!last) return;
    for (const effect of view.effects) {
      if (effect.kind === 'quit') {
        try {
          actions.quit({ interrupted: effect.interrupted === true });
        } finally {
          exit();
        }
        continue;
      }
      actions.send(effect.command).then(
        (text) => dispatch({ type: 'status', text, at: readNow() }),
        (error: unknown) =>
          dispatch({
            type: 'status',
            text: `command failed: ${error instanceof Error ? error.message : String(error)}`,
            at: readNow(),
          }),
      );
    }
    dispatch({ type: 'effects-done', upTo: last.id });
  }, [view.effects, actions, exit, readNow]);

  const status = view.status && now - view.status.at < STATUS_MS ? view.status.text : null;

  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      {isRawModeSupported ? <KeyInput onKey={onKey} /> : null}
      <Header state={state} mode={mode} canControl={canControl} width={layout.width} now={now} />
      <Box flexDirection="column" flexGrow={1} overflowY="hidden">
        {view.showHelp ? (
          <HelpOverlay width={layout.width} mode={mode} canControl={canControl} />
        ) : view.trials.show ? (
          <TrialsView
            trials={trials}
            sort={view.trials.sort}
            pair={view.trials.pair}
            scroll={view.trials.scroll}
            width={layout.width}
            rows={trialRows}
          />
        ) : (
          <>
            <WorkerList workers={state.workers} selectedId={selected} layout={layout} now={now} />
            <Box flexDirection={layout.logBeside ? 'row' : 'column'}>
              {layout.leaderboardRows > 0 && state.runKind === 'paper' ? (
                <PaperTraders
                  state={state}
                  width={layout.leaderboardWidth}
                  maxRows={layout.leaderboardRows}
                />
              ) : layout.leaderboardRows > 0 ? (
                <Leaderboard
                  rows={state.leaderboard}
                  sort={view.sort}
                  width={layout.leaderboardWidth}
                  maxRows={layout.leaderboardRows}
                  multipleTesting={state.aggregated?.multipleTesting}
                />
              ) : null}
              {view.showLog ? (
                <LogPane
                  worker={selectedWorker}
                  width={layout.logBeside ? layout.width - layout.leaderboardWidth - 2 : layout.width}
                  lines={layout.logLines}
                  view={view.log}
                  beside={layout.logBeside}
                />
              ) : null}
            </Box>
          </>
        )}
      </Box>
      <Footer
        width={layout.width}
        confirm={view.confirm}
        status={status}
        canControl={canControl}
        finished={state.finished}
        trials={view.trials.show}
      />
    </Box>
  );
}
