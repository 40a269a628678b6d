import { promises as fs } from 'node:fs';
import { SCHEMA_VERSION, trainingReportFile } from '../shared/index.js';
import { type PlanOptions, planFingerprint, planRun, type RunPlan } from './plan.js';
import { clearRun, holdsWorkerFiles, readRunFile, writeRunFile } from './run-files.js';

/** Plans the run, checks resume against results/, clears with --fresh: what a run does first. */
export async function prepareRun(
  options: PlanOptions & { fresh: boolean },
  now: Date,
): Promise<{ plan: RunPlan; resumed: boolean }> {
  let plan = planRun(options, now);
  const fingerprint = planFingerprint(plan);
  if (options.fresh) {
    await clearRun(options.resultsDir, options.modelsDir);
  } else {
    const previous = await readRunFile(options.resultsDir);
    if (previous && previous.fingerprint !== fingerprint) {
      throw new Error(
        `${options.resultsDir} holds a different run (${previous.runId}: ${previous.pairs.join(',')} on ` +
          `${previous.workers} workers, plan ${previous.fingerprint}; this plan is ${fingerprint}). ` +
          'Pass --fresh to start over there, or choose another --results folder.',
      );
    }
    if (previous) {
      plan = planRun({ ...options, runId: previous.runId }, now);
      // The old report would tell attached viewers the run is over; the resumed run writes a new one.
      await fs.rm(trainingReportFile(options.resultsDir), { force: true });
      return { plan, resumed: true };
    }
    if (await holdsWorkerFiles(options.resultsDir)) {
      throw new Error(
        `${options.resultsDir} holds worker files of an unknown run (no run.json). ` +
          'Pass --fresh to start over there, or choose another --results folder.',
      );
    }
  }
  await writeRunFile(options.resultsDir, {
    schema: SCHEMA_VERSION,
    runId: plan.runId,
    fingerprint,
    createdAt: now.toISOString(),
    pairs: plan.options.pairs,
    workers: plan.workers.length,
  });
  return { plan, resumed: false };
}
