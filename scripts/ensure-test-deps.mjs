// `npm test` on a fresh machine: installs what the tests need before they run — the npm packages
// (npm ci) and the system tools the end-to-end tests drive: tmux (terminal), Debian's chromium
// (browser test of the HTTP mirror), Debian's Docker Engine (docker.io: dockerd and the client)
// with docker-compose for the real-engine tests, which start their own private dockerd, and strace
// (the durable-write test reads the real system calls). Uses plain Node only, since node_modules
// may not exist yet.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (cmd, args) => {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(
      `ensure-test-deps: \`${cmd} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal})`,
    );
    process.exit(1);
  }
};
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

if (!existsSync('node_modules/.package-lock.json')) {
  console.error('ensure-test-deps: installing npm packages (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const missing = [
  !has('tmux') && 'tmux',
  !existsSync(chromium) && 'chromium',
  !has('docker-compose') && 'docker-compose',
  !has('strace') && 'strace',
  (!has('dockerd') || !has('docker')) && 'docker.io',
].filter(Boolean);
if (missing.length > 0) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !has('apt-get')) {
    console.error(
      `ensure-test-deps: the tests need ${missing.join(', ')}; install them (Debian: apt-get install ${missing.join(' ')}) and run npm test again`,
    );
    process.exit(1);
  }
  console.error(`ensure-test-deps: installing ${missing.join(', ')} with apt-get…`);
  process.env.DEBIAN_FRONTEND = 'noninteractive';
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing]);
}
