import { Text } from 'ink';
import { truncate } from '../format.js';
import { type FooterHint, fitHints } from './footer-hints.js';
import type { Confirm } from './view-state.js';

export interface FooterProps {
  width: number;
  confirm: Confirm | null;
  /** A fresh status line, or null. */
  status: string | null;
  canControl: boolean;
  finished: boolean;
  /** The trials view is open (its own keys). */
  trials?: boolean;
}

/** The last line: an open question, else a command's answer, else the main keys. */
export function Footer({ width, confirm, status, canControl, finished, trials = false }: FooterProps) {
  if (confirm) {
    const question =
      confirm.kind === 'restart' ? `restart worker ${confirm.workerId}? y/n` : 'quit and stop the run? y/n';
    return (
      <Text bold inverse color="yellow" wrap="truncate-end">
        {` ${truncate(question, width - 2)} `}
      </Text>
    );
  }
  if (status) {
    return (
      <Text color="cyan" wrap="truncate-end">
        {truncate(`» ${status}`, width)}
      </Text>
    );
  }
  const keys = fitHints(footerHints({ trials, finished, canControl }), width);
  return (
    <Text dimColor wrap="truncate-end">
      {truncate(keys, width)}
    </Text>
  );
}

const hint = (text: string, rank: number): FooterHint => ({ text, rank });

/** The main keys for the current view, each ranked by how much a newcomer needs it. */
function footerHints(view: { trials: boolean; finished: boolean; canControl: boolean }): FooterHint[] {
  const help = hint('? help', 0);
  const quit = hint('q quit', 0);
  if (view.trials) {
    return [
      hint('trials', 1),
      hint('s/S sort', 2),
      hint('f/F pair', 2),
      hint('PgUp/PgDn g/G scroll', 4),
      hint('t close', 1),
      help,
      quit,
    ];
  }
  const common = [hint('t trials', 3), hint('s sort', 4), hint('l log', 3), hint('/ search', 5)];
  if (view.finished) return [hint('run finished', 0), quit, help, ...common, hint('↑↓ 1-9 select', 6)];
  if (view.canControl) {
    return [
      hint('↑↓ 1-9 select', 6),
      hint('r restart', 2),
      hint('R restart failed', 5),
      ...common,
      help,
      quit,
    ];
  }
  return [hint('read-only', 0), hint('↑↓ 1-9 select', 6), ...common, help, quit];
}
