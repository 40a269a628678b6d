import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A small tmpfs mounted on a fresh folder: a disk that can be filled in a test. */
export interface SmallDisk {
  dir: string;
  unmount(): void;
}

/**
 * Mounts a tmpfs of `size` (e.g. `2m`) on a new folder, or returns why it cannot (not root, mount
 * not permitted in this container): tests that need a full disk then say so and are skipped.
 */
export function mountSmallDisk(size: string): SmallDisk | { unavailable: string } {
  if (process.platform !== 'linux') return { unavailable: 'tmpfs needs Linux' };
  if (process.getuid?.() !== 0) return { unavailable: 'mounting a tmpfs needs root' };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tw-disk-'));
  mkdirSync(dir, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], {
    encoding: 'utf8',
  });
  if (mounted.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return {
      unavailable: `mount -t tmpfs failed: ${(mounted.stderr || mounted.error?.message || '').trim()}`,
    };
  }
  return {
    dir,
    unmount() {
      spawnSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether a small disk can be mounted here (probed once). */
export function canMountSmallDisk(): { ok: true } | { ok: false; why: string } {
  const disk = mountSmallDisk('64k');
  if ('unavailable' in disk) return { ok: false, why: disk.unavailable };
  disk.unmount();
  return { ok: true };
}
