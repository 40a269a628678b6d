import path from 'node:path';
import { supervisorStatusFile, workerConfigFile } from '../../shared/index.js';
import { type ContainerObservation, createContainerRuntime } from './container-runtime.js';
import { type ContainerSpec, WORKER_LABEL } from './container-spec.js';
import { dockerRun } from './docker-cli.js';
import { composeProjectName } from './docker-runtime.js';
import { type ContainerRunOptions, prepareContainerSpec } from './prepare-container-spec.js';
import { removeStaleContainers } from './stale-containers.js';
import type { Runtime } from './types.js';

export interface SwarmRuntimeOptions extends ContainerRunOptions {
  /** Service names are `<prefix>-worker-N`; default: one prefix per results folder. */
  servicePrefix?: string;
}

/** Task states in which the worker has not ended yet (Swarm's task lifecycle). */
const LIVE_TASK_STATES = new Set([
  'new',
  'pending',
  'assigned',
  'accepted',
  'ready',
  'preparing',
  'starting',
  'running',
]);

/** The service of worker N. */
export const swarmServiceName = (prefix: string, workerId: number) => `${prefix}-worker-${workerId}`;

/**
 * `docker service create` arguments for one worker: restart policy none (restarts stay the
 * supervisor's: backoff, limits, stall detection), the run's folders bound at their own paths, the
 * worker id in the environment, the same hardening as Compose where Swarm has it (no
 * capabilities, read-only root, tmpfs, memory and pids limits, init, unprivileged user; Swarm
 * services have no `no-new-privileges`), and the run's labels on the service and its container.
 */
export function swarmCreateArgs(
  spec: ContainerSpec,
  name: string,
  workerId: number,
  resultsDir: string,
  stopGraceMs: number,
  network: string | null,
): string[] {
  const config = workerConfigFile(resultsDir, workerId);
  const labels = { ...spec.labels, [WORKER_LABEL]: String(workerId) };
  return [
    'service',
    'create',
    '--detach',
    '--name',
    name,
    // The image is local to each node (or in the user's registry): never ask a registry for a digest.
    '--no-resolve-image',
    '--restart-condition',
    'none',
    '--replicas',
    '1',
    '--init',
    '--read-only',
    '--cap-drop',
    'ALL',
    '--user',
    `${spec.user.uid}:${spec.user.gid}`,
    '--limit-memory',
    spec.limits.memory,
    '--limit-pids',
    String(spec.limits.pids),
    '--stop-signal',
    'SIGTERM',
    '--stop-grace-period',
    `${Math.max(1, Math.ceil(stopGraceMs / 1000))}s`,
    '--mount',
    `type=tmpfs,target=/tmp,tmpfs-size=${spec.limits.tmpfsSize},tmpfs-mode=1777`,
    ...spec.mounts.flatMap((m) => [
      '--mount',
      `type=bind,source=${m.path},target=${m.path}${m.readOnly ? ',readonly' : ''}`,
    ]),
    '--env',
    `WORKER_ID=${workerId}`,
    '--env',
    `WORKER_CONFIG=${config}`,
    // The worker stops by itself when this supervisor's heartbeat stops (killed outright).
    '--env',
    `TRADING_WORKERS_SUPERVISOR_STATUS=${supervisorStatusFile(resultsDir)}`,
    ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`, '--container-label', `${k}=${v}`]),
    ...(network ? ['--network', network] : []),
    spec.image,
    'node',
    'dist/worker/main.js',
    '--config',
    config,
  ];
}

interface InspectedTask {
  ID: string;
  ServiceID: string;
  Slot?: number;
  CreatedAt?: string;
  Status?: { State?: string; Err?: string; ContainerStatus?: { ExitCode?: number } };
}

/** One Swarm task as the runtime sees it; `task: non-zero exit (n)` adds nothing to the code. */
export function observeTask(task: InspectedTask, serviceName: string): ContainerObservation {
  const state = task.Status?.State ?? 'unknown';
  const err = task.Status?.Err?.trim() || null;
  const exitCode = task.Status?.ContainerStatus?.ExitCode;
  return {
    name: `${serviceName}.${task.Slot ?? 1}`,
    state,
    running: LIVE_TASK_STATES.has(state),
    exitCode: typeof exitCode === 'number' ? exitCode : null,
    detail: err && !/^task: non-zero exit \(\d+\)$/.test(err) ? err : null,
  };
}

/**
 * Drives the workers as Docker Swarm services, one `docker service create` per worker start, on a
 * node that is a swarm manager. Exits are seen by polling the tasks; a stop scales the service to 0
 * (the task keeps its exit code); the services are removed when the run ends.
 */
export function createSwarmRuntime(options: SwarmRuntimeOptions): Runtime {
  const baseEnv = options.env ?? process.env;
  const prefix = options.servicePrefix ?? composeProjectName(options.resultsDir);
  const resultsDir = path.resolve(options.resultsDir);
  const graceMs = options.defaultGraceMs ?? 10_000;
  const network = baseEnv.TW_SWARM_NETWORK?.trim() || null;
  const serviceIds = new Map<number, string>();
  let spec: ContainerSpec | null = null;
  const docker = (args: string[]) => dockerRun('docker', args, baseEnv);
  const name = (workerId: number) => swarmServiceName(prefix, workerId);

  const removeService = async (workerId: number) => {
    const existing = (await docker(['service', 'ls', '-q', '--filter', `name=${name(workerId)}`])).trim();
    // `name=` filters by prefix: worker-1 would match worker-10.
    for (const id of existing.split('\n').filter(Boolean)) {
      const exact = (await docker(['service', 'inspect', '--format', '{{.Spec.Name}}', id])).trim();
      if (exact === name(workerId)) await docker(['service', 'rm', id]);
    }
  };

  return createContainerRuntime(
    {
      kind: 'swarm',
      async prepare() {
        const prepared = await prepareContainerSpec(options, baseEnv);
        spec = prepared.spec;
        await removeStaleContainers('docker', baseEnv, resultsDir, { services: true });
        return prepared.notice;
      },
      async launch(workerId) {
        if (!spec) throw new Error('swarm runtime used before prepare');
        // A restart is a new service: the old one's task has ended (its exit was seen) and keeps nothing.
        await removeService(workerId);
        const id = await docker(
          swarmCreateArgs(spec, name(workerId), workerId, resultsDir, graceMs, network),
        );
        serviceIds.set(workerId, id.trim().split('\n').at(-1)!.trim());
      },
      async halt(workerId) {
        // Scaling to 0 stops the task with the service's grace period and keeps it (and its exit code).
        await docker(['service', 'scale', '--detach', `${name(workerId)}=0`]);
      },
      async observe(workerIds) {
        const seen = new Map<number, ContainerObservation>();
        const wanted = workerIds.filter((id) => serviceIds.has(id));
        if (wanted.length === 0) return seen;
        const taskIds = (await docker(['service', 'ps', '-q', '--no-trunc', ...wanted.map(name)]))
          .split('\n')
          .filter(Boolean);
        if (taskIds.length === 0) return seen;
        const tasks = JSON.parse(await docker(['inspect', ...taskIds])) as InspectedTask[];
        const byService = new Map([...serviceIds].map(([worker, id]) => [id, worker]));
        // The newest task of each service is the one that counts.
        tasks.sort((a, b) => Date.parse(a.CreatedAt ?? '') - Date.parse(b.CreatedAt ?? ''));
        for (const task of tasks) {
          const worker = byService.get(task.ServiceID);
          if (worker !== undefined && wanted.includes(worker))
            seen.set(worker, observeTask(task, name(worker)));
        }
        return seen;
      },
      async logCommand(workerId) {
        // A new service per start: its logs hold only this start's output (no --since needed).
        return { file: 'docker', args: ['service', 'logs', '--follow', '--raw', name(workerId)] };
      },
      async removeAll() {
        const runLabel = `label=trading-workers.run=${options.runId}`;
        const ids = (await docker(['service', 'ls', '-q', '--filter', runLabel])).split('\n').filter(Boolean);
        if (ids.length > 0) await docker(['service', 'rm', ...ids]);
        // The tasks' containers go away after their services (slowly on the vfs driver): wait for
        // this node's, so a run that ended has left nothing.
        const deadline = Date.now() + 90_000;
        while (Date.now() < deadline) {
          if (!(await docker(['ps', '-aq', '--filter', runLabel])).trim()) break;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      },
    },
    { resultsDir, env: baseEnv, pollMs: options.pollMs, defaultGraceMs: graceMs },
  );
}
