import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { isAlive } from './temp-dir.js';
import { waitFor } from './wait-for.js';

/** A Docker engine the tests may use: the client's environment, and how to give it back. */
export interface DockerEngine {
  env: NodeJS.ProcessEnv;
  /** True when the tests started this engine (and so may change it: swarm init, images). */
  private: boolean;
  version: string;
  stop(): Promise<void>;
}

const answers = async (env: NodeJS.ProcessEnv) => {
  const result = await execa('docker', ['version', '--format', '{{.Server.Version}}'], {
    env,
    reject: false,
    stdin: 'ignore',
    timeout: 15_000,
  });
  return result.exitCode === 0 ? String(result.stdout).trim() : null;
};

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;

/**
 * An engine for the real-engine tests: the one DOCKER_HOST (or the default socket) points at when
 * it answers, else a private dockerd as /work/shared/DOCKER.md does it (vfs, no bridge, no
 * iptables), its data-root, exec-root, pidfile and socket in a fresh temp folder; `stop()` stops
 * that dockerd by its pid file only, never by name. Returns why not when neither is possible.
 */
export async function startDockerEngine(): Promise<DockerEngine | { unavailable: string }> {
  const version = has('docker') ? await answers(process.env) : null;
  if (version) return { env: { ...process.env }, private: false, version, stop: async () => {} };
  if (!has('dockerd')) return { unavailable: 'no Docker engine answers and dockerd is not installed' };
  if (process.getuid?.() !== 0)
    return { unavailable: 'no Docker engine answers and a private dockerd needs root' };
  // Short: containerd's sockets live under exec-root and a unix socket path has ~107 bytes.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'twd-'));
  const pidFile = path.join(dir, 'pid');
  const socket = path.join(dir, 'docker.sock');
  const log = openSync(path.join(dir, 'dockerd.log'), 'a');
  const daemon = spawn(
    'dockerd',
    [
      '--data-root',
      path.join(dir, 'root'),
      '--exec-root',
      path.join(dir, 'exec'),
      '--pidfile',
      pidFile,
      '--host',
      `unix://${socket}`,
      '--storage-driver=vfs',
      '--iptables=false',
      '--ip6tables=false',
      '--bridge=none',
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  daemon.unref();
  const env = { ...process.env, DOCKER_HOST: `unix://${socket}` };
  const pidOf = () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : null);
  const stop = async () => {
    const pid = pidOf() ?? daemon.pid ?? null;
    if (pid && isAlive(pid)) {
      process.kill(pid, 'SIGTERM');
      await waitFor(() => !isAlive(pid), `dockerd ${pid} to stop`, 60_000, 100).catch(() => {
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      });
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const started = await waitFor(() => answers(env), 'the private dockerd to answer', 90_000, 250);
    return { env, private: true, version: started, stop };
  } catch (error) {
    const said = existsSync(path.join(dir, 'dockerd.log'))
      ? readFileSync(path.join(dir, 'dockerd.log'), 'utf8').trim().split('\n').slice(-3).join(' | ')
      : '';
    await stop();
    return { unavailable: `${(error as Error).message}: ${said}` };
  }
}

/** Makes this engine a single-node swarm unless it is in one already; returns how to undo that. */
export async function ensureSingleNodeSwarm(env: NodeJS.ProcessEnv): Promise<() => Promise<void>> {
  const state = await execa('docker', ['info', '--format', '{{.Swarm.LocalNodeState}}'], { env });
  if (String(state.stdout).trim() === 'active') return async () => {};
  await execa('docker', ['swarm', 'init', '--advertise-addr', '127.0.0.1'], { env });
  return async () => {
    await execa('docker', ['swarm', 'leave', '--force'], { env, reject: false });
  };
}

/** Containers (any state) carrying this label, as `id name state` lines. */
export async function labelledContainers(env: NodeJS.ProcessEnv, label: string): Promise<string[]> {
  const result = await execa(
    'docker',
    ['ps', '-a', '--filter', `label=${label}`, '--format', '{{.ID}} {{.Names}} {{.State}}'],
    { env },
  );
  return String(result.stdout).split('\n').filter(Boolean);
}

/** Services carrying this label, by name. */
export async function labelledServices(env: NodeJS.ProcessEnv, label: string): Promise<string[]> {
  const result = await execa(
    'docker',
    ['service', 'ls', '--filter', `label=${label}`, '--format', '{{.Name}}'],
    {
      env,
    },
  );
  return String(result.stdout).split('\n').filter(Boolean);
}
