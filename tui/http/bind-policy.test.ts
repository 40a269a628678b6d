import test from 'ava';
import { HTTP_TOKEN_ENV, isLoopbackHost, resolveBindPolicy } from './bind-policy.js';

test('isLoopbackHost: 127.0.0.0/8, ::1 and localhost only', (t) => {
  for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST '])
    t.true(isLoopbackHost(host), host);
  for (const host of [
    '0.0.0.0',
    '::',
    '192.168.1.10',
    '10.0.0.1',
    'localhost.evil.example',
    '127.0.0.1.nip.io',
  ]) {
    t.false(isLoopbackHost(host), host);
  }
});

test('resolveBindPolicy: loopback needs no token, anything else does, from the option or the environment', (t) => {
  t.deepEqual(resolveBindPolicy({ host: '127.0.0.1', env: {} }), { host: '127.0.0.1', token: null });
  t.deepEqual(resolveBindPolicy({ host: '[::1]', env: {} }), { host: '::1', token: null });
  t.throws(() => resolveBindPolicy({ host: '0.0.0.0', env: {} }), {
    message: `HTTP mirror: binding 0.0.0.0 (not loopback) requires an access token; pass --http-token-file FILE or set ${HTTP_TOKEN_ENV}, or bind 127.0.0.1`,
  });
  t.throws(() => resolveBindPolicy({ host: '0.0.0.0', token: '   ', env: {} }), { message: /too short/ });
  t.deepEqual(resolveBindPolicy({ host: '0.0.0.0', token: 'abcdefgh', env: {} }), {
    host: '0.0.0.0',
    token: 'abcdefgh',
  });
  t.deepEqual(resolveBindPolicy({ host: '192.168.1.5', env: { [HTTP_TOKEN_ENV]: 'from-the-env' } }), {
    host: '192.168.1.5',
    token: 'from-the-env',
  });
  t.is(
    resolveBindPolicy({ host: '::', token: 'option-wins', env: { [HTTP_TOKEN_ENV]: 'env-loses' } }).token,
    'option-wins',
  );
  t.is(resolveBindPolicy({ host: '127.0.0.1', token: 'loopback-too', env: {} }).token, 'loopback-too');
  t.throws(() => resolveBindPolicy({ host: 'localhost', token: 'short', env: {} }), {
    message: 'HTTP mirror: the access token is too short (5 characters, need at least 8)',
  });
  t.throws(() => resolveBindPolicy({ host: ' ', env: {} }), { message: /--http-host is empty/ });
});
