import { Text } from 'ink';
import { truncate } from '../format.js';
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
  const keys = trials
    ? 'trials · s/S sort · f/F pair · PgUp/PgDn g/G scroll · t close · ? help · q quit'
    : finished
      ? 'run finished · q quit · ? help · t trials · s sort · l log · / search · ↑↓ 1-9 select'
      : canControl
        ? '↑↓ 1-9 select · r restart · R restart failed · t trials · s sort · l log · / search · ? help · q quit'
        : 'read-only · ↑↓ 1-9 select · t trials · s sort · l log · / search · ? help · q quit';
  return (
    <Text dimColor wrap="truncate-end">
      {truncate(keys, width)}
    </Text>
  );
}
