import test from 'ava';
import type { RunLock } from '../shared/index.js';
import { describeLockOwner, judgeLockOwner, type LockVantage } from './lock-owner.js';

const NOW = Date.parse('2025-06-01T12:00:00.000Z');
const lock = (over: Partial<RunLock> = {}): RunLock => ({
  schema: 1,
  token: 'tok-12345678',
  pid: 4242,
  host: 'here',
  processStart: '1000',
  startedAt: '2025-06-01T11:00:00.000Z',
  heartbeatAt: new Date(NOW - 5_000).toISOString(),
  command: 'trading-workers train',
  ...over,
});
const vantage = (over: Partial<LockVantage> = {}): LockVantage => ({
  host: 'here',
  now: NOW,
  staleAfterMs: 30_000,
  processAlive: () => true,
  processStart: () => '1000',
  ...over,
});

test('this host: the pid decides, not the heartbeat', (t) => {
  t.like(judgeLockOwner(lock(), vantage()), { alive: true });
  t.like(judgeLockOwner(lock({ heartbeatAt: new Date(NOW - 3_600_000).toISOString() }), vantage()), {
    alive: true,
    why: 'running, last heartbeat 3600 s ago',
  });
  t.deepEqual(judgeLockOwner(lock(), vantage({ processAlive: () => false })), {
    alive: false,
    why: 'pid 4242 is not running',
  });
  t.deepEqual(judgeLockOwner(lock(), vantage({ processStart: () => '2000' })), {
    alive: false,
    why: 'pid 4242 is now another process',
  });
  t.like(judgeLockOwner(lock({ processStart: null }), vantage({ processStart: () => '2000' })), {
    alive: true,
  });
});

test('another host: alive while its heartbeat is fresh', (t) => {
  const other = vantage({ host: 'there', processAlive: () => false });
  t.like(judgeLockOwner(lock(), other), { alive: true, why: 'last heartbeat 5 s ago' });
  t.deepEqual(judgeLockOwner(lock({ heartbeatAt: new Date(NOW - 31_000).toISOString() }), other), {
    alive: false,
    why: 'no heartbeat for 31 s',
  });
  t.like(judgeLockOwner(lock({ heartbeatAt: 'garbage' }), other), { alive: false });
});

test('the owner is named by pid, host, start and command', (t) => {
  t.is(describeLockOwner(lock()), 'pid 4242 on here (since 2025-06-01T11:00:00.000Z, trading-workers train)');
});
