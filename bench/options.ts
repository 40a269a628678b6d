/** What `npm run bench` was asked to do. */
export interface BenchOptions {
  json: boolean;
  /** Multiplies every step count. */
  scale: number;
  /** How many times the kernel and the wasm baseline are measured, alternating. */
  rounds: number;
  /** One section only: the whole job, or our kernel's bare training loop. */
  only: (typeof SECTIONS)[number] | null;
}

export const SECTIONS = ['job', 'kernel'] as const;

/** A bad command-line option: reported in one line, without a stack. */
export class UsageError extends Error {}

const VALUE_FLAGS = ['--scale', '--rounds', '--only'] as const;

/** Parses `npm run bench` arguments; a bad or unknown one throws a UsageError naming it. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const values = new Map<string, string>();
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--json') {
      json = true;
    } else if ((VALUE_FLAGS as readonly string[]).includes(flag)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      values.set(flag, value);
      i++;
    } else {
      throw new UsageError(`unknown option ${flag} (expected --json, ${VALUE_FLAGS.join(', ')})`);
    }
  }
  const scale = Number(values.get('--scale') ?? 1);
  if (!(scale > 0)) throw new UsageError(`--scale must be a positive number, got ${values.get('--scale')}`);
  const rounds = Number(values.get('--rounds') ?? 3);
  if (!Number.isInteger(rounds) || rounds < 1) {
    throw new UsageError(`--rounds must be a positive integer, got ${values.get('--rounds')}`);
  }
  const only = values.get('--only') ?? null;
  if (only !== null && !SECTIONS.includes(only as never)) {
    throw new UsageError(`--only must be one of ${SECTIONS.join(', ')}, got ${only}`);
  }
  return { json, scale, rounds, only: only as BenchOptions['only'] };
}
