import test from 'ava';
import { jsonBody, memoLast } from './json-memo.js';

test('memoLast: computes once per object identity', (t) => {
  let calls = 0;
  const memo = memoLast((v: { n: number }) => {
    calls += 1;
    return v.n * 2;
  });
  const a = { n: 1 };
  t.is(memo(a), 2);
  t.is(memo(a), 2);
  t.is(calls, 1);
  t.is(memo({ n: 1 }), 2);
  t.is(calls, 2, 'an equal but new object is computed again');
});

test('jsonBody: the bytes of the text and a fresh strong ETag per serialisation', (t) => {
  const a = jsonBody('{"n":1}');
  const b = jsonBody('{"n":1}');
  t.is(a.body.toString(), '{"n":1}');
  t.regex(a.etag, /^"[\w-]+-\d+"$/);
  t.not(a.etag, b.etag);
});
