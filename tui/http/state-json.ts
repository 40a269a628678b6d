import type { AggregatedResults, DashboardState, TrainingReport } from '../../shared/index.js';
import { memoLast } from './json-memo.js';

/** JSON texts of a state, each computed once per object identity and shared by every endpoint. */
export interface StateJson {
  /** The state without `aggregated` and `report` (what changes several times a second). */
  light(state: DashboardState): string;
  /** `aggregated` alone (the equity curves and rankings: most of the bytes, changes once per job). */
  aggregated(value: AggregatedResults | null): string;
  report(value: TrainingReport | null): string;
  /** The whole state, assembled from the three parts without serialising the heavy ones again. */
  full(state: DashboardState): string;
}

/** Creates the memoised serialisers; one per mirror, used by `/api/state`, `/api/report` and the event streams. */
export function createStateJson(): StateJson {
  const light = memoLast((s: DashboardState) =>
    JSON.stringify({ ...s, aggregated: undefined, report: undefined }),
  );
  const aggregated = memoLast((a: AggregatedResults | null) => JSON.stringify(a));
  const report = memoLast((r: TrainingReport | null) => JSON.stringify(r));
  const full = memoLast((s: DashboardState) => {
    const head = light(s);
    // `head` is a JSON object with at least `mode`, so it ends in `}` and has a previous member.
    return `${head.slice(0, -1)},"aggregated":${aggregated(s.aggregated)},"report":${report(s.report)}}`;
  });
  return { light, aggregated, report, full };
}
