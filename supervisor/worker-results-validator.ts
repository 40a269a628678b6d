import { z } from 'zod';
import {
  type JobResult,
  JobResultSchema,
  type JsonValidator,
  type WorkerResults,
  WorkerResultsSchema,
} from '../shared/index.js';
import { equalValue } from './equal-value.js';

// Everything but the jobs, which are checked one by one below.
const EnvelopeSchema = WorkerResultsSchema.extend({ jobs: z.array(z.unknown()) });

/**
 * Validates one worker's results file each time it is read again, checking with zod only the jobs
 * that are new or changed since the last good read: the file gains a job at a time and reaches ~1 MB
 * in a default run, and validating all of it on every job was the largest share of the supervisor's
 * CPU while workers train (issue 12). A job equal, value for value, to one validated before gets the
 * same result zod gave then; anything else goes through `WorkerResultsSchema`'s own job schema, and
 * an error names the same field path (`jobs.3.metrics.sharpe`) as validating the whole file.
 */
export function workerResultsValidator(): JsonValidator<WorkerResults> {
  let known = new Map<string, { raw: unknown; job: JobResult }>();
  return {
    safeParse(data) {
      const envelope = EnvelopeSchema.safeParse(data);
      if (!envelope.success) return { success: false, error: envelope.error };
      const next = new Map<string, { raw: unknown; job: JobResult }>();
      const jobs: JobResult[] = [];
      for (const [index, raw] of envelope.data.jobs.entries()) {
        const id = jobIdOf(raw);
        const before = id === null ? undefined : known.get(id);
        if (before && equalValue(before.raw, raw)) {
          jobs.push(before.job);
          next.set(id as string, before);
          continue;
        }
        const parsed = JobResultSchema.safeParse(raw);
        if (!parsed.success) {
          const issues = parsed.error.issues.map((issue) => ({
            ...issue,
            path: ['jobs', index, ...issue.path],
          }));
          return { success: false, error: new z.ZodError(issues) };
        }
        jobs.push(parsed.data);
        if (id !== null) next.set(id, { raw, job: parsed.data });
      }
      // Only a good read replaces what is known: a damaged file leaves the last good jobs in place.
      known = next;
      return { success: true, data: { ...envelope.data, jobs } };
    },
  };
}

function jobIdOf(raw: unknown): string | null {
  const id = raw && typeof raw === 'object' ? (raw as { jobId?: unknown }).jobId : undefined;
  return typeof id === 'string' ? id : null;
}
