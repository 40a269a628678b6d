import { execa } from 'execa';

/**
 * The line of a failed docker / compose command that says why: compose v1 prints Python
 * tracebacks, the engine prefixes "Error response from daemon:". Prefers a line naming an error,
 * drops the prefixes, falls back to the last line.
 */
export function causeLine(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const said =
    lines.find((l) => /^(ERROR|Error)\b/.test(l)) ??
    lines.find(
      (l) => /error|denied|invalid|cannot|no such|not found|failed|refused/i.test(l) && !/^Traceback/.test(l),
    ) ??
    lines.at(-1) ??
    '';
  return said
    .replace(/^ERROR:\s*(for \S+\s+)?/, '')
    .replace(/^Error( response from daemon)?:\s*/, '')
    .trim();
}

/** A failed docker command: its one-line cause, and everything it printed for the log. */
export class DockerCommandError extends Error {
  override name = 'DockerCommandError';
  constructor(
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly output: string,
  ) {
    super(`${command} failed (exit ${exitCode ?? '?'}): ${causeLine(output) || 'no output'}`);
  }
}

/** Runs `file ...args` with the docker client's environment; throws DockerCommandError on failure. */
export async function dockerRun(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { timeoutMs?: number; label?: string } = {},
): Promise<string> {
  const result = await execa(file, args, {
    env,
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 120_000,
  });
  if (result.exitCode !== 0) {
    const label = options.label ?? [file, ...args.slice(0, 2)].join(' ');
    throw new DockerCommandError(
      label,
      result.exitCode,
      `${String(result.stderr)}\n${String(result.stdout)}`.trim() || (result.timedOut ? 'timed out' : ''),
    );
  }
  return String(result.stdout);
}
