import test from 'ava';
import {
  authorize,
  bearerToken,
  isLoopbackHostHeader,
  SESSION_COOKIE,
  sessionValue,
} from './authorize-request.js';

test('bearerToken: the token of an Authorization: Bearer header only', (t) => {
  t.is(bearerToken({ authorization: 'Bearer abc' }), 'abc');
  t.is(bearerToken({ authorization: 'bearer   abc  ' }), 'abc');
  t.is(bearerToken({ authorization: 'Basic dXNlcjpwYXNz' }), null);
  t.is(bearerToken({}), null);
});

test('authorize: everything without a token; with one, the header or the session cookie', (t) => {
  t.deepEqual(authorize({}, '/', null), { kind: 'allow' });
  t.deepEqual(authorize({ authorization: 'Bearer the-token' }, '/api/state', 'the-token'), { kind: 'allow' });
  const cookie = `other=1; ${SESSION_COOKIE}=${sessionValue('the-token')}`;
  t.deepEqual(authorize({ cookie }, '/api/events', 'the-token'), { kind: 'allow' });
  t.deepEqual(authorize({}, '/', 'the-token'), { kind: 'deny' });
  t.deepEqual(authorize({ authorization: 'Bearer the-toke' }, '/', 'the-token'), { kind: 'deny' });
  t.deepEqual(authorize({ cookie: `${SESSION_COOKIE}=the-token` }, '/', 'the-token'), { kind: 'deny' });
  t.not(sessionValue('the-token'), sessionValue('another-token'));
});

test('authorize: a valid ?token= logs in (cookie, redirect without it); a wrong one is refused', (t) => {
  const login = authorize({}, '/?token=the-token', 'the-token');
  t.like(login, { kind: 'login', location: '/' });
  t.regex(
    login.kind === 'login' ? login.cookie : '',
    /^tw_mirror=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/,
  );
  t.like(authorize({}, '/api/state?x=1&token=the-token', 'the-token'), {
    kind: 'login',
    location: '/api/state?x=1',
  });
  t.like(authorize({}, '/?token=a%2Fb%3F', 'a/b?'), { kind: 'login' });
  t.deepEqual(authorize({}, '/?token=the-token-and-more', 'the-token'), { kind: 'deny' });
  t.deepEqual(authorize({}, '/?other=1', 'the-token'), { kind: 'deny' });
});

test('isLoopbackHostHeader: loopback names with or without a port', (t) => {
  for (const h of [undefined, 'localhost', 'localhost:8502', '127.0.0.1:8502', '[::1]:8502', '127.0.0.2']) {
    t.true(isLoopbackHostHeader(h), String(h));
  }
  for (const h of ['evil.example', 'evil.example:8502', '192.168.0.2:8502', 'localhost.evil.example', '']) {
    t.false(isLoopbackHostHeader(h), h);
  }
});
