import { promises as fs, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ResultPromise } from 'execa';
import {
  type TrainingReport,
  workerLogFile,
  workerResultsFile,
  workerStatusFile,
} from '../../shared/index.js';
import {
  changedFiles,
  countLines,
  differingJobs,
  episodeCounts,
  snapshotFiles,
  workerStarts,
} from './chaos-checks.js';
import {
  busyWorkers,
  type FloodOutcome,
  fillDisk,
  floodMirror,
  processesMentioning,
  seededRandom,
  truncateFile,
} from './chaos-monkey.js';
import { readReport, runCli, SHARED_DATA_DIR } from './cli.js';
import { repoRoot } from './run-fixture.js';
import { isAlive } from './temp-dir.js';
import { mountSmallDisk } from './tmpfs.js';

/** The run to disturb and how hard. */
export interface ChaosPlan {
  workers: number;
  pairs: string[];
  variants: number;
  episodes: number;
  /** Days of candles (fewer: shorter episodes). */
  days: number;
  /** The run's seed (the same for the undisturbed baseline). */
  seed: number;
  /** The seed of the disturbances' timing and targets. */
  chaosSeed: number;
  workerKills: number;
  supervisorKills: number;
  /** Connections held on the mirror at once. */
  connections: number;
  /** --stall-timeout of the run, and how long a worker is kept stopped (past it). */
  stallSeconds: number;
  /** Size of the tmpfs the chaos run's folders live on. */
  diskSize: string;
}

export const CI_CHAOS: ChaosPlan = {
  workers: 2,
  pairs: ['BTC-USD', 'ETH-USD', 'SOL-USD'],
  variants: 2,
  // Long enough for ten kills 1.5–4 s apart at the kernel's speed, with one worker stalled for 20 s
  // of it (2 episodes of 180 days ended after 7 kills, 4 of 365 days after 5, 10 of 365 days after 8
  // on a fast day).
  episodes: 12,
  days: 365,
  seed: 42,
  chaosSeed: 7,
  workerKills: 10,
  supervisorKills: 2,
  connections: 2_000,
  stallSeconds: 20,
  diskSize: '256m',
};

export interface ChaosCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ChaosOutcome {
  counts: {
    workerKills: number;
    supervisorKills: number;
    workerStalls: number;
    stallsRecovered: number;
    truncatedFiles: number;
    diskFull: string;
    workerRestarts: number;
    recoveries: {
      resultsRebuilt: number;
      locksTakenOver: number;
      leftoverWaits: number;
      resumedJobs: number;
    };
    flood: FloodOutcome | null;
    episodesLogged: number;
    episodesPlanned: number;
  };
  checks: ChaosCheck[];
  baselineSeconds: number;
  chaosSeconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function trainArgs(plan: ChaosPlan, root: string, extra: string[]): string[] {
  return [
    'train',
    '--headless',
    '--workers',
    String(plan.workers),
    '--pairs',
    plan.pairs.join(','),
    '--variants',
    String(plan.variants),
    '--episodes',
    String(plan.episodes),
    '--seed',
    String(plan.seed),
    '--days',
    String(plan.days),
    '--data-dir',
    SHARED_DATA_DIR,
    '--results',
    path.join(root, 'results'),
    '--models',
    path.join(root, 'models'),
    '--data',
    path.join(root, 'data'),
    ...extra,
  ];
}

/** A supervisor process of the chaos run: its CLI, its mirror's port once known, its stderr. */
interface Supervisor {
  cli: ResultPromise;
  port: number | null;
  stderr: string;
  exited: boolean;
}

function startSupervisor(args: string[]): Supervisor {
  const cli = runCli(args, { env: { CI: 'true' }, timeout: 0 });
  const sup: Supervisor = { cli, port: null, stderr: '', exited: false };
  cli.stderr?.on('data', (chunk: Buffer) => {
    sup.stderr += chunk.toString();
    const m = /HTTP mirror: http:\/\/127\.0\.0\.1:(\d+)\//.exec(sup.stderr);
    if (m && sup.port === null) sup.port = Number(m[1]);
  });
  void cli.then(() => {
    sup.exited = true;
  });
  return sup;
}

/**
 * Trains the plan once undisturbed, then again on a small tmpfs while killing workers and the
 * supervisor, stopping a worker past the stall limit, truncating files, filling the disk and
 * flooding the mirror; then checks that nothing was lost, nothing redone, and the results are
 * bit-identical to the undisturbed run's.
 */
export async function runChaos(plan: ChaosPlan, log: (line: string) => void): Promise<ChaosOutcome> {
  const random = seededRandom(plan.chaosSeed);
  const sandbox = mkdtempSync(path.join(os.tmpdir(), 'tw-chaos-'));
  const baselineRoot = path.join(sandbox, 'baseline');
  const disk = mountSmallDisk(plan.diskSize);
  const chaosRoot = 'dir' in disk ? disk.dir : path.join(sandbox, 'chaos');
  mkdirSync(chaosRoot, { recursive: true });
  const results = path.join(chaosRoot, 'results');
  const workerIds = Array.from({ length: Math.min(plan.workers, plan.pairs.length) }, (_, i) => i + 1);
  const episodesPlanned = plan.pairs.length * plan.variants * plan.episodes;
  const outside = (file: string) =>
    file.startsWith(sandbox) ||
    file.startsWith(chaosRoot) ||
    ['node_modules', '.git'].some((d) => file === path.join(repoRoot, d));
  const before = await snapshotFiles([repoRoot, SHARED_DATA_DIR], outside);
  const supervisors: Supervisor[] = [];
  const counts: ChaosOutcome['counts'] = {
    workerKills: 0,
    supervisorKills: 0,
    workerStalls: 0,
    stallsRecovered: 0,
    truncatedFiles: 0,
    diskFull: 'dir' in disk ? 'not done' : `skipped: ${disk.unavailable}`,
    workerRestarts: 0,
    recoveries: { resultsRebuilt: 0, locksTakenOver: 0, leftoverWaits: 0, resumedJobs: 0 },
    flood: null,
    episodesLogged: 0,
    episodesPlanned,
  };
  try {
    // ------------------------------------------------------------ the undisturbed baseline
    log(
      `baseline: ${plan.pairs.length} pairs × ${plan.variants} variants × ${plan.episodes} episodes on ${plan.workers} workers`,
    );
    const t0 = Date.now();
    const baseline = await runCli(trainArgs(plan, baselineRoot, []), { env: { CI: 'true' }, timeout: 0 });
    if (baseline.exitCode !== 0)
      throw new Error(
        `the baseline run failed (exit ${baseline.exitCode}): ${String(baseline.stderr).slice(-2000)}`,
      );
    const baselineSeconds = (Date.now() - t0) / 1000;
    const expected = await readReport(path.join(baselineRoot, 'results'));
    log(`baseline: done in ${baselineSeconds.toFixed(0)} s`);

    // ------------------------------------------------------------ the disturbed run
    const args = trainArgs(plan, chaosRoot, ['--http', '0', '--stall-timeout', String(plan.stallSeconds)]);
    const t1 = Date.now();
    let sup = startSupervisor(args);
    supervisors.push(sup);
    const logs = async () =>
      Promise.all(workerIds.map((id) => fs.readFile(workerLogFile(results, id), 'utf8').catch(() => '')));
    const progress = async () => {
      const distinct = episodeCounts(await logs()).size;
      return distinct / episodesPlanned;
    };
    const pending: Promise<unknown>[] = [];
    // The flood and the full disk are held for seconds; the supervisor is not killed meanwhile (a
    // new one would not start on a full disk, and the flood's last check needs its mirror).
    let holding = 0;
    const hold = <T>(task: Promise<T>) => {
      holding++;
      const tracked = task.finally(() => {
        holding--;
      });
      pending.push(tracked);
      return tracked;
    };
    const done = new Set<string>();
    const once = (name: string, at: number, p: number) => {
      if (done.has(name) || p < at) return false;
      done.add(name);
      return true;
    };
    let nextWorkerKill = Date.now() + 3_000;
    // Per worker: its finished episodes at each kill.
    const killedAt = new Map<number, number[]>();
    let stopped: number | null = null;
    const supervisorKillsAt = Array.from(
      { length: plan.supervisorKills },
      (_, i) => (i + 1) / (plan.supervisorKills + 2) + 0.05,
    );

    for (;;) {
      await sleep(150);
      if (sup.exited) {
        const result = await sup.cli;
        if (result.signal === 'SIGKILL' && done.has(`supervisor-kill-${counts.supervisorKills}`)) {
          // Killed by us: rerun the same command, as a user would.
          sup = startSupervisor(args);
          supervisors.push(sup);
          continue;
        }
        break;
      }
      const p = await progress();

      if (sup.port !== null && once('flood', 0.1, p)) {
        const port = sup.port;
        log(`flood: ${plan.connections} half-sent requests on the mirror (port ${port}) for 8 s`);
        void hold(
          floodMirror(port, plan.connections, 8_000).then((outcome) => {
            counts.flood = outcome;
          }),
        );
      }
      if (once('stall', 0.15, p)) {
        const [victim] = await busyWorkers(results, workerIds);
        if (victim) {
          process.kill(victim.pid, 'SIGSTOP');
          stopped = victim.pid;
          counts.workerStalls++;
          log(`stall: worker ${victim.workerId} (pid ${victim.pid}) stopped with SIGSTOP`);
        } else done.delete('stall');
      }
      if (stopped !== null && !isAlive(stopped)) {
        counts.stallsRecovered++;
        log(`stall: the stopped worker (pid ${stopped}) was ended by the supervisor`);
        stopped = null;
      }
      if (once('truncate-status', 0.2, p) && (await truncateFile(workerStatusFile(results, 1)))) {
        counts.truncatedFiles++;
        log('truncated worker_1_status.json');
      }
      const ids = [...workerIds].reverse();
      if (once('truncate-results', 0.5, p)) {
        let cut = false;
        for (const id of ids) {
          if (cut) break;
          cut = await truncateFile(workerResultsFile(results, id));
          if (cut) log(`truncated worker_${id}_results.json`);
        }
        if (cut) counts.truncatedFiles++;
        else done.delete('truncate-results');
      }
      if ('dir' in disk && once('disk-full', 0.4, p)) {
        log('disk: filling the run’s tmpfs for 3 s');
        void hold(
          fillDisk(chaosRoot, 3_000).then(({ bytes, heldMs }) => {
            counts.diskFull = `full for ${(heldMs / 1000).toFixed(1)} s (${Math.round(bytes / 1048576)} MiB of ballast)`;
          }),
        );
      }
      const nextSupervisorKill = supervisorKillsAt[counts.supervisorKills];
      if (
        nextSupervisorKill !== undefined &&
        stopped === null &&
        holding === 0 &&
        once(`supervisor-kill-${counts.supervisorKills + 1}`, nextSupervisorKill, p)
      ) {
        counts.supervisorKills++;
        log(
          `supervisor: SIGKILL (${counts.supervisorKills}/${plan.supervisorKills}) at ${(p * 100).toFixed(0)}%`,
        );
        sup.cli.kill('SIGKILL');
        continue;
      }
      // Worker kills at seeded moments, spread over the time the run seems to have left. A worker
      // killed three times without finishing an episode in between is spared until it does: six
      // such deaths in a row are a crash loop to the restart policy, which rightly gives up.
      if (counts.workerKills < plan.workerKills && Date.now() >= nextWorkerKill && p > 0) {
        const finished = new Map(
          (await logs()).map((text, i) => [workerIds[i]!, episodeCounts([text]).size] as const),
        );
        const busy = (await busyWorkers(results, workerIds)).filter(
          (s) =>
            s.pid !== stopped &&
            (killedAt.get(s.workerId) ?? []).filter((n) => n === finished.get(s.workerId)).length < 3,
        );
        const victim = busy[Math.floor(random() * busy.length)];
        if (victim) {
          process.kill(victim.pid, 'SIGKILL');
          killedAt.set(victim.workerId, [
            ...(killedAt.get(victim.workerId) ?? []),
            finished.get(victim.workerId) ?? 0,
          ]);
          counts.workerKills++;
          log(
            `worker ${victim.workerId}: SIGKILL (${counts.workerKills}/${plan.workerKills}) in ${victim.state} at ${(p * 100).toFixed(0)}%`,
          );
        }
        // Every 1.5–4 s: a restart costs a worker seconds of starting and loading, so kills spread
        // over the whole run would not all find a busy worker before it ends. Sooner (down to 1 s)
        // when the run's progress says less time is left than the kills still to come need: on a
        // fast machine the run ended with 8 of its 10 kills done.
        const elapsedMs = Date.now() - t1;
        const leftMs = p >= 0.05 ? (elapsedMs * (1 - p)) / p : Number.POSITIVE_INFINITY;
        const killsLeft = plan.workerKills - counts.workerKills;
        const spacing = 1_500 + 2_500 * random();
        nextWorkerKill = Date.now() + Math.min(spacing, Math.max(1_000, leftMs / (killsLeft + 1)));
      }
    }
    await Promise.all(pending);
    const chaosSeconds = (Date.now() - t1) / 1000;
    const last = await supervisors.at(-1)!.cli;
    log(
      `chaos run: ended with exit code ${last.exitCode} after ${chaosSeconds.toFixed(0)} s and ${supervisors.length} supervisors`,
    );

    // ------------------------------------------------------------ the checks
    const finalLogs = await logs();
    const episodes = episodeCounts(finalLogs);
    counts.episodesLogged = [...episodes.values()].reduce((a, b) => a + b, 0);
    counts.workerRestarts = workerStarts(finalLogs) - workerIds.length;
    counts.recoveries.resultsRebuilt = countLines(finalLogs, /rebuilt .*_results\.json from/);
    const stderr = supervisors.map((s) => s.stderr).join('\n');
    counts.recoveries.locksTakenOver = (stderr.match(/took over /g) ?? []).length;
    counts.recoveries.leftoverWaits = (
      stderr.match(/waited for \d+ workers? of an earlier supervisor/g) ?? []
    ).length;
    let report: TrainingReport | null = null;
    try {
      report = await readReport(results);
    } catch {
      report = null;
    }
    counts.recoveries.resumedJobs = report?.jobs.filter((j) => j.resumedFromEpisode > 0).length ?? 0;
    const twice = [...episodes].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);
    const differing = report ? differingJobs(expected, report) : ['no report'];
    const leftover = [...(await processesMentioning(sandbox)), ...(await processesMentioning(chaosRoot))];
    const after = await snapshotFiles([repoRoot, SHARED_DATA_DIR], outside);
    const touched = changedFiles(before, after);
    const checks: ChaosCheck[] = [
      {
        name: 'every job finished',
        ok:
          last.exitCode === 0 &&
          report?.outcome === 'completed' &&
          report.jobs.length === expected.jobs.length,
        detail:
          `exit ${last.exitCode}, ${report?.jobs.filter((j) => j.status === 'done').length ?? 0}/${expected.jobs.length} jobs done` +
          (last.exitCode === 0
            ? ''
            : `; the last supervisor said: ${supervisors.at(-1)!.stderr.slice(-1500)}`),
      },
      {
        name: 'no episode trained twice',
        ok: twice.length === 0,
        detail:
          twice.length === 0 ? `${counts.episodesLogged} episode lines, none repeated` : twice.join(', '),
      },
      {
        name: 'out-of-sample results bit-identical to the undisturbed run',
        ok: differing.length === 0,
        detail: differing.length === 0 ? `${expected.jobs.length} jobs compared` : differing.join('; '),
      },
      {
        name: 'no process left',
        ok: leftover.length === 0,
        detail:
          leftover.length === 0
            ? 'none (local runtime: no containers)'
            : leftover.map((p) => `${p.pid} ${p.command}`).join('; '),
      },
      {
        name: 'no file outside the run’s folders touched',
        ok: touched.length === 0,
        detail:
          touched.length === 0
            ? `${after.size} files of the clone and the shared data unchanged`
            : touched.slice(0, 10).join(', '),
      },
      {
        name: 'every disturbance happened',
        ok:
          counts.workerKills >= plan.workerKills &&
          counts.supervisorKills >= plan.supervisorKills &&
          counts.workerStalls >= 1 &&
          counts.stallsRecovered >= 1 &&
          counts.truncatedFiles >= 2 &&
          (!('dir' in disk) || counts.diskFull.startsWith('full')) &&
          (counts.flood?.opened ?? 0) >= plan.connections * 0.9,
        detail: JSON.stringify({ ...counts, recoveries: undefined, flood: undefined }),
      },
      {
        name: 'the mirror held the flood and answered afterwards',
        ok: counts.flood?.answersAfter === true,
        detail: JSON.stringify(counts.flood),
      },
    ];
    return { counts, checks, baselineSeconds, chaosSeconds };
  } finally {
    for (const s of supervisors) if (!s.exited) s.cli.kill('SIGKILL');
    for (const p of [...(await processesMentioning(sandbox)), ...(await processesMentioning(chaosRoot))]) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if ('dir' in disk) disk.unmount();
    rmSync(sandbox, { recursive: true, force: true });
  }
}
