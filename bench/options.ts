/** What `npm run bench` was asked to do. */
export interface BenchOptions {
  json: boolean;
  /** `--only plan`: the pairs of the plan (default: the whole default plan). */
  pairs: string | null;
  /** `--only plan`: workers, episodes per job and days of candles (default: the CLI's). */
  workers: number | null;
  episodes: number | null;
  days: number | null;
  /** `--only plan --dist`: run the compiled CLI (`npm run build`), as installed, instead of the sources via tsx. */
  dist: boolean;
  /** `--only plan --dashboard`: the run draws its dashboard (160×50, in tmux) instead of running headless. */
  dashboard: boolean;
  /** `--only plan`: extra `train` arguments, passed through as they are (e.g. `--folds 3` where supported). */
  trainArgs: string[];
  /** Multiplies every step count. */
  scale: number;
  /** How many times the kernel and the wasm baseline are measured, alternating. */
  rounds: number;
  /**
   * One section only: the whole job, our kernel's bare training loop, the views at fleet size, or a
   * whole plan run headless through the CLI. `fleet` and `plan` run only when asked for.
   */
  only: (typeof SECTIONS)[number] | null;
}

export const SECTIONS = ['job', 'kernel', 'fleet', 'plan'] as const;

/** A bad command-line option: reported in one line, without a stack. */
export class UsageError extends Error {}

const VALUE_FLAGS = [
  '--scale',
  '--rounds',
  '--only',
  '--pairs',
  '--workers',
  '--episodes',
  '--days',
] as const;
const PLAN_FLAGS = ['--pairs', '--workers', '--episodes', '--days'] as const;

function positiveInteger(flag: string, raw: string | undefined): number | null {
  if (raw === undefined) return null;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new UsageError(`${flag} must be a positive integer, got ${raw}`);
  return value;
}

/** Parses `npm run bench` arguments; a bad or unknown one throws a UsageError naming it. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const values = new Map<string, string>();
  let json = false;
  let dist = false;
  let dashboard = false;
  const trainArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--') {
      trainArgs.push(...argv.slice(i + 1));
      break;
    }
    if (flag === '--json') {
      json = true;
    } else if (flag === '--dist') {
      dist = true;
    } else if (flag === '--dashboard') {
      dashboard = true;
    } else if ((VALUE_FLAGS as readonly string[]).includes(flag)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      values.set(flag, value);
      i++;
    } else {
      throw new UsageError(
        `unknown option ${flag} (expected --json, --dist, --dashboard, ${VALUE_FLAGS.join(', ')}, or -- before train arguments)`,
      );
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
  if (only !== 'plan') {
    const misplaced =
      PLAN_FLAGS.find((flag) => values.has(flag)) ??
      (dist ? '--dist' : undefined) ??
      (dashboard ? '--dashboard' : undefined) ??
      (trainArgs.length > 0 ? '--' : undefined);
    if (misplaced) throw new UsageError(`${misplaced} applies to --only plan`);
  }
  return {
    json,
    scale,
    rounds,
    only: only as BenchOptions['only'],
    pairs: values.get('--pairs') ?? null,
    workers: positiveInteger('--workers', values.get('--workers')),
    episodes: positiveInteger('--episodes', values.get('--episodes')),
    days: positiveInteger('--days', values.get('--days')),
    dist,
    dashboard,
    trainArgs,
  };
}
