import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type RunFile, SCHEMA_VERSION, trainingReportFile, VARIANTS } from '../shared/index.js';
import { type PlanOptions, planFingerprint, planRun, type RunPlan } from './plan.js';
import { holdsWorkerFiles, readRunFile, recoverRunFromConfigs, writeRunFile } from './run-files.js';
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
  const read = await readRunFile(options.resultsDir);
  if (read.kind === 'found') {
    if (read.notice) notices.push(read.notice);
    return read.run;
  }
  if (read.kind === 'none' && !(await holdsWorkerFiles(options.resultsDir))) return null;
  const recovered = await recoverRunFromConfigs(options.resultsDir, plan, fingerprint);
  const problems = read.kind === 'damaged' ? [...read.problems, ...recovered.problems] : recovered.problems;
  if (!recovered.run) {
    // --fresh then refuses the folder as one holding no run, naming what is there.
    if (options.fresh) return null;
    throw new RunRefusedError(
      `${options.resultsDir} holds worker files, but nothing says which run they belong to: ${problems.join('; ')}. ` +
        'Move those files away, or choose another --results folder.',
    );
  }
  await writeRunFile(options.resultsDir, recovered.run);
  notices.push(
    `recovered ${path.join(options.resultsDir, 'run.json')} from the worker configs (run ${recovered.run.runId}` +
      `${read.kind === 'damaged' ? `; ${read.problems.join('; ')}` : '; run.json and its copy were missing'})`,
  );
  return recovered.run;
}

/** `--fresh`: removes the earlier run's files, or refuses a folder that holds something but no run. */
async function clearEarlierRun(
  options: PlanOptions,
  now: Date,
  previous: RunFile | null,
): Promise<string | null> {
  if (!previous) {
    const found = await holdsAnything(options.resultsDir);
    if (found.length === 0) return null;
    throw new RunRefusedError(
      `--fresh: ${options.resultsDir} holds no run (no run.json), so nothing was removed ` +
        `(it holds ${found.slice(0, 5).join(', ')}${found.length > 5 ? ', …' : ''}). ` +
        'Give --results a new or empty folder, or the folder of an earlier run.',
    );
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
  } else {
    if (previous && previous.fingerprint !== fingerprint) {
      throw new RunRefusedError(
        `${options.resultsDir} holds a different run (${previous.runId}: ${previous.pairs.join(',')} on ` +
          `${previous.workers} workers, plan ${previous.fingerprint}; this plan is ${fingerprint}). ` +
          'Pass --fresh to start over there, or choose another --results folder.',
      );
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
