import test from 'ava';
import { isAuthorized, isLoopbackHostHeader, requestToken } from './authorize-request.js';

const q = (s: string) => new URLSearchParams(s);

test('requestToken: the Bearer header first, else ?token=', (t) => {
  t.is(requestToken({ authorization: 'Bearer abc' }, q('token=xyz')), 'abc');
  t.is(requestToken({ authorization: 'bearer   abc  ' }, q('')), 'abc');
  t.is(requestToken({ authorization: 'Basic dXNlcjpwYXNz' }, q('token=xyz')), 'xyz');
  t.is(requestToken({}, q('token=a%2Fb%3F')), 'a/b?');
  t.is(requestToken({}, q('')), null);
});

test('isAuthorized: everything without a token, only the exact token with one', (t) => {
  t.true(isAuthorized({}, q(''), null));
  t.true(isAuthorized({ authorization: 'Bearer the-token' }, q(''), 'the-token'));
  t.true(isAuthorized({}, q('token=the-token'), 'the-token'));
  t.false(isAuthorized({}, q(''), 'the-token'));
  t.false(isAuthorized({}, q('token=the-toke'), 'the-token'));
  t.false(isAuthorized({}, q('token=the-token-and-more'), 'the-token'));
  t.false(isAuthorized({ authorization: 'Bearer wrong' }, q('token=the-token'), 'the-token'));
});

test('isLoopbackHostHeader: loopback names with or without a port', (t) => {
  for (const h of [undefined, 'localhost', 'localhost:8502', '127.0.0.1:8502', '[::1]:8502', '127.0.0.2']) {
    t.true(isLoopbackHostHeader(h), String(h));
  }
  for (const h of ['evil.example', 'evil.example:8502', '192.168.0.2:8502', 'localhost.evil.example', '']) {
    t.false(isLoopbackHostHeader(h), h);
  }
});
