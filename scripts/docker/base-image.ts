// A Node base image made from this machine's own node, for engines that cannot pull `node:20-slim`
// (no registry access). Recipe verified in /work/shared/DOCKER.md: node, the libraries `ldd` lists,
// npm, /bin/sh and /usr/bin/env in a folder with etc/passwd, then `tar | docker import`.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { type DockerClient, imageExists } from './docker-client.js';

/** The image's unprivileged user, the same uid/gid as `node` in the official node images. */
export const IMAGE_USER = { name: 'node', uid: 1000, gid: 1000 } as const;

/** The tag of the host-node base image for this machine's Node version. */
export function hostBaseImageTag(nodeVersion: string = process.version): string {
  return `trading-workers-base:node-${nodeVersion.replace(/^v/, '')}`;
}

/** Shared libraries (and the loader) a binary needs, as `ldd` resolves them on this machine. */
export function sharedLibraries(binary: string): string[] {
  const out = execFileSync('ldd', [binary], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line)?.[1])
    .filter((file): file is string => Boolean(file));
}

// Copies a file to the same path under root, following symlinks (the image gets the real bytes).
function copyInto(root: string, file: string, target: string = file): void {
  const dest = path.join(root, target);
  mkdirSync(path.dirname(dest), { recursive: true });
  copyFileSync(realpathSync(file), dest);
  chmodSync(dest, 0o755);
}

/** Lays out the base image's file system under `root` from the host's node, npm and shell. */
export function layoutHostNodeRoot(root: string): void {
  // The folder becomes the image's `/`: a mkdtemp folder is 0700, which no unprivileged user could enter.
  chmodSync(root, 0o755);
  const node = realpathSync(process.execPath);
  const shell = realpathSync('/bin/sh');
  const env = realpathSync('/usr/bin/env');
  for (const binary of [node, shell, env]) {
    for (const lib of sharedLibraries(binary)) copyInto(root, lib);
  }
  copyInto(root, node, 'usr/local/bin/node');
  copyInto(root, shell, 'bin/sh');
  copyInto(root, env, 'usr/bin/env');
  const npmRoot = path.join(path.dirname(path.dirname(node)), 'lib', 'node_modules', 'npm');
  try {
    const npmTarget = path.join(root, 'usr/local/lib/node_modules/npm');
    mkdirSync(path.dirname(npmTarget), { recursive: true });
    execFileSync('cp', ['-a', npmRoot, npmTarget]);
    symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', path.join(root, 'usr/local/bin/npm'));
    symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', path.join(root, 'usr/local/bin/npx'));
  } catch {
    // npm is a convenience in the base (the prebuilt image never runs it); node is what matters.
  }
  mkdirSync(path.join(root, 'etc'), { recursive: true });
  const { name, uid, gid } = IMAGE_USER;
  writeFileSync(
    path.join(root, 'etc/passwd'),
    `root:x:0:0:root:/root:/bin/sh\n${name}:x:${uid}:${gid}::/home/${name}:/bin/sh\n`,
  );
  writeFileSync(path.join(root, 'etc/group'), `root:x:0:\n${name}:x:${gid}:\n`);
  for (const dir of ['tmp', 'root', `home/${name}`, 'proc', 'sys', 'dev']) {
    mkdirSync(path.join(root, dir), { recursive: true });
  }
  chmodSync(path.join(root, 'tmp'), 0o1777);
  execFileSync('chown', [`${uid}:${gid}`, path.join(root, `home/${name}`)]);
}

/**
 * Makes (once per Node version and engine) a base image from the host's node with `docker import`,
 * so the worker image builds on an engine that cannot pull. Returns its tag and whether it was new.
 */
export async function ensureHostBaseImage(
  docker: DockerClient,
  tag: string = hostBaseImageTag(),
): Promise<{ tag: string; created: boolean }> {
  if (await imageExists(docker, tag)) return { tag, created: false };
  const root = mkdtempSync(path.join(os.tmpdir(), 'tw-base-root-'));
  try {
    layoutHostNodeRoot(root);
    const tar = execa('tar', ['-C', root, '-c', '.'], { buffer: false });
    const imported = execa(
      docker.file,
      ['import', '--change', 'ENV PATH=/usr/local/bin:/usr/bin:/bin', '--change', 'CMD ["node"]', '-', tag],
      { env: docker.env, stdin: 'pipe', reject: false },
    );
    tar.stdout?.pipe(imported.stdin!);
    const [tarResult, importResult] = await Promise.all([tar, imported]);
    if (importResult.exitCode !== 0) {
      throw new Error(`docker import ${tag} failed: ${String(importResult.stderr).trim()}`);
    }
    void tarResult;
    return { tag, created: true };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
