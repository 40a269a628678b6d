import test from 'ava';
import { commandForKey, KEY_BINDINGS, type KeyPress, keymapMarkdown } from './keymap.js';

const none: KeyPress = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  escape: false,
  ctrl: false,
};

test('keys map to their commands', (t) => {
  t.deepEqual(commandForKey('', { ...none, upArrow: true }), { command: 'select-prev' });
  t.deepEqual(commandForKey('', { ...none, downArrow: true }), { command: 'select-next' });
  t.deepEqual(commandForKey('3', none), { command: 'select-index', index: 2 });
  t.deepEqual(commandForKey('r', none), { command: 'restart' });
  t.deepEqual(commandForKey('R', none), { command: 'restart-failed' });
  t.deepEqual(commandForKey('s', none), { command: 'sort-next' });
  t.deepEqual(commandForKey('l', none), { command: 'toggle-log' });
  t.deepEqual(commandForKey('?', none), { command: 'help' });
  t.deepEqual(commandForKey('', { ...none, escape: true }), { command: 'close' });
  t.deepEqual(commandForKey('y', none), { command: 'confirm' });
  t.deepEqual(commandForKey('q', none), { command: 'quit' });
  t.deepEqual(commandForKey('c', { ...none, ctrl: true }), { command: 'interrupt' });
  t.deepEqual(commandForKey('t', none), { command: 'toggle-trials' });
  t.deepEqual(commandForKey('/', none), { command: 'search' });
  t.deepEqual(commandForKey('n', none), { command: 'search-next' });
  t.deepEqual(commandForKey('N', none), { command: 'search-prev' });
  t.deepEqual(commandForKey('', { ...none, pageUp: true }), { command: 'page-up' });
  t.deepEqual(commandForKey('G', none), { command: 'go-bottom' });
  t.is(commandForKey('0', none), null);
  t.is(commandForKey('x', none), null);
});

test('every command has exactly one binding, and the README table lists every key', (t) => {
  const commands = KEY_BINDINGS.map((b) => b.command);
  t.is(new Set(commands).size, commands.length);
  const markdown = keymapMarkdown();
  t.true(markdown.startsWith('| key | what it does |'));
  for (const binding of KEY_BINDINGS) t.true(markdown.includes(binding.description), binding.command);
  t.true(markdown.includes('`q`') && markdown.includes('`↑` / `←`') && markdown.includes('`Ctrl-C`'));
});
