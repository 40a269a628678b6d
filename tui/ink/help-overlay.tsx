import { Box, Text } from 'ink';
import { KEY_BINDINGS } from '../keymap.js';

export interface HelpOverlayProps {
  width: number;
  mode: 'run' | 'attach';
  canControl: boolean;
}

/** The key list, generated from the key map so it never drifts from what the keys do. */
export function HelpOverlay({ width, mode, canControl }: HelpOverlayProps) {
  const keyWidth = Math.max(...KEY_BINDINGS.map((b) => b.keys.length)) + 2;
  return (
    <Box
      flexDirection="column"
      width={Math.min(width, 96)}
      borderStyle="round"
      borderColor="cyan"
      paddingX={1}
    >
      <Text bold color="cyan">
        Keys (? or Esc closes)
      </Text>
      {KEY_BINDINGS.map((binding) => (
        <Text key={binding.command} wrap="truncate-end">
          <Text bold>{binding.keys.padEnd(keyWidth)}</Text>
          {binding.description}
        </Text>
      ))}
      <Text dimColor wrap="truncate-end">
        {mode === 'run'
          ? 'This dashboard started the run: quitting stops it gracefully.'
          : canControl
            ? 'Attached to a running supervisor: restarts go through its command files.'
            : 'Attached read-only: no supervisor is running, restart keys do nothing.'}
      </Text>
    </Box>
  );
}
