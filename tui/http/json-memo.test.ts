import test from 'ava';
import { createJsonMemo } from './json-memo.js';

test('createJsonMemo: one serialisation per object identity, ETag follows the bytes', (t) => {
  let calls = 0;
  const memo = createJsonMemo<{ n: number } | null>((v) => {
    calls += 1;
    return v;
  });
  const a = { n: 1 };
  const first = memo(a);
  t.is(memo(a), first);
  t.is(calls, 1);
  t.is(first.body.toString(), '{"n":1}');
  t.regex(first.etag, /^"[\w-]+"$/);
  const b = { n: 1 };
  const second = memo(b);
  t.is(calls, 2, 'a new object is serialised again');
  t.is(second.etag, first.etag, 'same bytes, same ETag');
  t.not(memo({ n: 2 }).etag, first.etag);
  t.is(memo(null).body.toString(), 'null');
});
