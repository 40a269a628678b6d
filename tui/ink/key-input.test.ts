import test from 'ava';
import type { Key } from 'ink';
import { splitKeyPresses } from './key-input.js';

const none: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

test('keys that arrive in one read are handed on one by one, in order', (t) => {
  t.deepEqual(
    splitKeyPresses('1rR', none).map(([c, k]) => [c, k.shift]),
    [
      ['1', false],
      ['r', false],
      ['R', true],
    ],
  );
});

test('single keys, control keys and escape sequences pass through whole', (t) => {
  t.deepEqual(splitKeyPresses('r', none), [['r', none]]);
  t.deepEqual(splitKeyPresses('c', { ...none, ctrl: true }), [['c', { ...none, ctrl: true }]]);
  t.deepEqual(splitKeyPresses('\u001b[A', none), [['\u001b[A', none]]);
});

test('Enter typed in the same read as text is a key of its own (a fast "/err⏎" over SSH)', (t) => {
  const keys = splitKeyPresses('er\r', none);
  t.deepEqual(
    keys.map(([c, k]) => [c, k.return]),
    [
      ['e', false],
      ['r', false],
      ['\r', true],
    ],
  );
});
