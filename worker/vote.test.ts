import test from 'ava';
import { majorityVote } from './vote.js';

test('majorityVote: a strict majority goes long; a tie or no vote is flat', (t) => {
  t.is(majorityVote([1]), 1);
  t.is(majorityVote([0]), 0);
  t.is(majorityVote([1, 1, 0]), 1);
  t.is(majorityVote([1, 0, 0]), 0);
  t.is(majorityVote([1, 0]), 0, 'a 1–1 tie is flat');
  t.is(majorityVote([1, 1, 0, 0]), 0, 'a 2–2 tie is flat');
  t.is(majorityVote([1, 1, 1, 0]), 1);
  t.is(majorityVote([]), 0);
  t.throws(() => majorityVote([1, 2]), { message: /vote 1 is 2/ });
});
