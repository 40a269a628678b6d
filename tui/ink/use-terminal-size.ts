import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

function readSize(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

/** The terminal's size, re-read on every `resize` of Ink's stdout; `fixed` pins it (tests, embedding). */
export function useTerminalSize(fixed?: TerminalSize): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState<TerminalSize>(() => readSize(stdout));
  const pinned = fixed !== undefined;
  useEffect(() => {
    if (pinned) return;
    const onResize = () => {
      const next = readSize(stdout);
      setSize((prev) => (prev.columns === next.columns && prev.rows === next.rows ? prev : next));
    };
    stdout.on('resize', onResize);
    // A resize between the first render and this effect would otherwise go unnoticed.
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, pinned]);
  return fixed ?? size;
}
