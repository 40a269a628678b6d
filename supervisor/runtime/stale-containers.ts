import { readFileSync } from 'node:fs';
import os from 'node:os';
import { supervisorStatusFile } from '../../shared/index.js';
import { parseSupervisorIdentity, RESULTS_LABEL, SUPERVISOR_LABEL } from './container-spec.js';
import { dockerRun } from './docker-cli.js';

/** A supervisor on another machine whose status heartbeat is older than this is gone. */
const REMOTE_SUPERVISOR_STALE_MS = 30_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the supervisor named by a container's label no longer runs it: on this host, its pid is
 * dead (or it is this very process, from an earlier run); elsewhere, the run's supervisor status has
 * not been written for 30 s. A live supervisor on the same results folder keeps its containers.
 */
export function supervisorGone(label: string | undefined, resultsDir: string, now = Date.now()): boolean {
  const identity = parseSupervisorIdentity(label);
  if (!identity) return true;
  if (identity.host === os.hostname()) return identity.pid === process.pid || !alive(identity.pid);
  try {
    const status = JSON.parse(readFileSync(supervisorStatusFile(resultsDir), 'utf8')) as {
      heartbeatAt?: string;
    };
    const beat = Date.parse(status.heartbeatAt ?? '');
    return !Number.isFinite(beat) || now - beat > REMOTE_SUPERVISOR_STALE_MS;
  } catch {
    return true;
  }
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * Removes the containers (and, on a swarm, the services) a gone supervisor left for this results
 * folder, found by label; returns their names. Without this, `compose up` would adopt a container
 * still running from a killed supervisor, and two workers would write the same files.
 */
export async function removeStaleContainers(
  docker: string,
  env: NodeJS.ProcessEnv,
  resultsDir: string,
  options: { services: boolean },
): Promise<string[]> {
  const removed: string[] = [];
  const filter = `label=${RESULTS_LABEL}=${resultsDir}`;
  if (options.services) {
    const ids = lines(await dockerRun(docker, ['service', 'ls', '-q', '--filter', filter], env));
    const stale: string[] = [];
    for (const id of ids) {
      const [name, label] = (
        await dockerRun(
          docker,
          [
            'service',
            'inspect',
            '--format',
            `{{.Spec.Name}}\t{{index .Spec.Labels "${SUPERVISOR_LABEL}"}}`,
            id,
          ],
          env,
        )
      )
        .trim()
        .split('\t');
      if (supervisorGone(label, resultsDir)) {
        stale.push(id);
        removed.push(name ?? id);
      }
    }
    if (stale.length > 0) await dockerRun(docker, ['service', 'rm', ...stale], env);
  }
  const rows = lines(
    await dockerRun(
      docker,
      ['ps', '-a', '--filter', filter, '--format', `{{.ID}}\t{{.Names}}\t{{.Label "${SUPERVISOR_LABEL}"}}`],
      env,
    ),
  );
  const stale = rows.map((row) => row.split('\t')).filter(([, , label]) => supervisorGone(label, resultsDir));
  if (stale.length > 0) {
    await dockerRun(docker, ['rm', '-f', ...stale.map(([id]) => id!)], env);
    removed.push(...stale.map(([id, name]) => name ?? id!));
  }
  return removed;
}
