import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type RunFile, SCHEMA_VERSION, trainingReportFile, VARIANTS } from '../shared/index.js';
import { type PlanOptions, planFingerprint, planRun, type RunPlan } from './plan.js';
import {
  differentRunMessage,
  holdsWorkerFiles,
  readRunFile,
  recoverRunFromConfigs,
  writeRunFile,
} from './run-files.js';
import { describeFresh, holdsAnything, manifestOfPlan, removeRunFiles } from './run-manifest.js';
import { RunRefusedError } from './run-refused-error.js';

/** What preparing a run found: the plan, whether it resumes, and what the user should hear of. */
export interface PreparedRun {
  plan: RunPlan;
  resumed: boolean;
  notices: string[];
}

/** What an earlier run wrote: its manifest, or for a run.json of an older version, derived from its plan. */
function manifestOf(previous: RunFile, options: PlanOptions, now: Date) {
  if (previous.owns) return previous.owns;
  const plan = planRun(
    {
      ...options,
      pairs: previous.pairs,
      workers: previous.workers,
      variants: VARIANTS.length,
      runId: previous.runId,
    },
    now,
  );
  return manifestOfPlan(plan, path.resolve(options.resultsDir), path.resolve(options.modelsDir));
}

/** What the folder says of its earlier run, found without writing anything. */
type EarlierRun =
  | { kind: 'none' }
  | { kind: 'found'; run: RunFile; notice: string | null }
  /** run.json and its copy are lost or damaged; the worker configs tell the run (run.json to restore). */
  | { kind: 'recovered'; run: RunFile; notice: string }
  /** Worker files, but nothing says which run they belong to. */
  | { kind: 'unknown'; message: string };

/** The run the folder holds: run.json, else its copy, else what the worker configs say. Reads only. */
async function findEarlierRun(options: PlanOptions, plan: RunPlan, fingerprint: string): Promise<EarlierRun> {
  const read = await readRunFile(options.resultsDir, { repair: false });
  if (read.kind === 'found') return read;
  if (read.kind === 'none' && !(await holdsWorkerFiles(options.resultsDir))) return { kind: 'none' };
  const recovered = await recoverRunFromConfigs(options.resultsDir, plan, fingerprint);
  const problems = read.kind === 'damaged' ? [...read.problems, ...recovered.problems] : recovered.problems;
  if (!recovered.run) {
    return {
      kind: 'unknown',
      message:
        `${options.resultsDir} holds worker files, but nothing says which run they belong to: ${problems.join('; ')}. ` +
        'Move those files away, or choose another --results folder.',
    };
  }
  return {
    kind: 'recovered',
    run: recovered.run,
    notice:
      `recovered ${path.join(options.resultsDir, 'run.json')} from the worker configs (run ${recovered.run.runId}` +
      `${read.kind === 'damaged' ? `; ${read.problems.join('; ')}` : '; run.json and its copy were missing'})`,
  };
}

/**
 * Why a run of this plan would be refused in its results folder (a different run, worker files of an
 * unknown run, --fresh on a folder holding no run), or null: what prepareRun decides, found without
 * writing anything, for the preflight. A recoverable run.json is not a problem.
 */
export async function resultsFolderProblem(
  options: PlanOptions & { fresh: boolean },
  plan: RunPlan,
): Promise<string | null> {
  const fingerprint = planFingerprint(plan);
  const earlier = await findEarlierRun(options, plan, fingerprint);
  if (options.fresh) {
    if (earlier.kind === 'found' || earlier.kind === 'recovered') return null;
    return freshRefusal(options.resultsDir, await holdsAnything(options.resultsDir));
  }
  if (earlier.kind === 'unknown') return earlier.message;
  if (earlier.kind !== 'none' && earlier.run.fingerprint !== fingerprint) {
    return differentRunMessage(options.resultsDir, earlier.run, fingerprint);
  }
  return null;
}

/**
 * The run the folder holds: run.json, else its copy, else what the worker configs say (each
 * recovery restores run.json and is told in `notices`). Throws, naming the files, when worker files
 * are there but nothing says which run they belong to.
 */
async function earlierRun(
  options: PlanOptions & { fresh: boolean },
  plan: RunPlan,
  fingerprint: string,
  notices: string[],
): Promise<RunFile | null> {
  const earlier = await findEarlierRun(options, plan, fingerprint);
  if (earlier.kind === 'none') return null;
  if (earlier.kind === 'unknown') {
    // --fresh then refuses the folder as one holding no run, naming what is there.
    if (options.fresh) return null;
    throw new RunRefusedError(earlier.message);
  }
  if (earlier.notice) notices.push(earlier.notice);
  // Restored from the copy or the configs: run.json (and its copy) are whole again.
  if (earlier.notice) await writeRunFile(options.resultsDir, earlier.run);
  return earlier.run;
}

/** Why `--fresh` refuses a folder holding no run but these names (null: it is new or empty). */
function freshRefusal(resultsDir: string, found: string[]): string | null {
  if (found.length === 0) return null;
  return (
    `--fresh: ${resultsDir} holds no run (no run.json), so nothing was removed ` +
    `(it holds ${found.slice(0, 5).join(', ')}${found.length > 5 ? ', …' : ''}). ` +
    'Give --results a new or empty folder, or the folder of an earlier run.'
  );
}

/** `--fresh`: removes the earlier run's files, or refuses a folder that holds something but no run. */
async function clearEarlierRun(
  options: PlanOptions,
  now: Date,
  previous: RunFile | null,
): Promise<string | null> {
  if (!previous) {
    const refusal = freshRefusal(options.resultsDir, await holdsAnything(options.resultsDir));
    if (refusal === null) return null;
    throw new RunRefusedError(refusal);
  }
  const manifest = manifestOf(previous, options, now);
  const outcome = await removeRunFiles(options.resultsDir, manifest);
  return describeFresh(previous.runId, outcome, [
    path.resolve(options.resultsDir),
    path.resolve(manifest.modelsDir),
  ]);
}

/** Plans the run, checks resume against results/, clears with --fresh: what a run does first. */
export async function prepareRun(options: PlanOptions & { fresh: boolean }, now: Date): Promise<PreparedRun> {
  let plan = planRun(options, now);
  const fingerprint = planFingerprint(plan);
  const notices: string[] = [];
  const previous = await earlierRun(options, plan, fingerprint, notices);
  if (options.fresh) {
    const notice = await clearEarlierRun(options, now, previous);
    if (notice) notices.push(notice);
    // Run ids are made from the start time to the second; a fresh run started within the second of
    // the one it replaces must still be another run to every reader of the folder.
    if (previous && previous.runId === plan.runId && options.runId === undefined) {
      plan = planRun({ ...options, runId: `${plan.runId}-2` }, now);
    }
  } else {
    if (previous && previous.fingerprint !== fingerprint) {
      throw new RunRefusedError(differentRunMessage(options.resultsDir, previous, fingerprint));
    }
    if (previous) {
      plan = planRun({ ...options, runId: previous.runId }, now);
      // The old report would tell attached viewers the run is over; the resumed run writes a new one.
      await fs.rm(trainingReportFile(options.resultsDir), { force: true });
      // Recorded again: a run.json of an older version gains its manifest.
      await writeRunFile(options.resultsDir, runFileOf(plan, fingerprint, previous.createdAt, options));
      return { plan, resumed: true, notices };
    }
  }
  await writeRunFile(options.resultsDir, runFileOf(plan, fingerprint, now.toISOString(), options));
  return { plan, resumed: false, notices };
}

function runFileOf(plan: RunPlan, fingerprint: string, createdAt: string, options: PlanOptions): RunFile {
  return {
    schema: SCHEMA_VERSION,
    runId: plan.runId,
    fingerprint,
    createdAt,
    pairs: plan.options.pairs,
    workers: plan.workers.length,
    owns: manifestOfPlan(plan, path.resolve(options.resultsDir), path.resolve(options.modelsDir)),
  };
}
