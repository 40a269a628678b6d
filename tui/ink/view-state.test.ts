import test from 'ava';
import type { KeyCommand } from '../keymap.js';
import {
  initialViewState,
  type KeyContext,
  READ_ONLY_MESSAGE,
  selectedId,
  type ViewState,
  viewReducer,
} from './view-state.js';

const ctx: KeyContext = { workerIds: [1, 2, 3, 4], mode: 'run', canControl: true, now: 1_000 };

function press(view: ViewState, ...keys: (KeyCommand | null)[]): ViewState {
  return keys.reduce((v, key) => viewReducer(v, { type: 'key', key, ctx }), view);
}

test('arrows and digits move the selection, wrapping around', (t) => {
  let view = initialViewState();
  t.is(selectedId(view, ctx.workerIds), 1);
  view = press(view, { command: 'select-prev' });
  t.is(selectedId(view, ctx.workerIds), 4);
  view = press(view, { command: 'select-next' }, { command: 'select-next' });
  t.is(selectedId(view, ctx.workerIds), 2);
  view = press(view, { command: 'select-index', index: 2 });
  t.is(selectedId(view, ctx.workerIds), 3);
  view = press(view, { command: 'select-index', index: 8 });
  t.is(selectedId(view, ctx.workerIds), 3);
  t.regex(view.status?.text ?? '', /no worker at position 9/);
});

test('r asks, y sends a restart of the selected worker, anything else cancels', (t) => {
  const view = press(initialViewState(), { command: 'select-next' }, { command: 'restart' });
  t.deepEqual(view.confirm, { kind: 'restart', workerId: 2 });
  t.is(view.effects.length, 0);
  const yes = press(view, { command: 'confirm' });
  t.is(yes.confirm, null);
  t.deepEqual(
    yes.effects.map((e) => e.kind === 'send' && e.command),
    [{ type: 'restart', workerId: 2 }],
  );
  const no = press(view, { command: 'select-next' });
  t.is(no.confirm, null);
  t.is(no.effects.length, 0);
  t.is(selectedId(no, ctx.workerIds), 2, 'the cancelling key does nothing else');
  t.is(press(view, null).confirm, null, 'an unbound key cancels too');
});

test('restart keys without a supervisor only say read-only', (t) => {
  const readOnly = { ...ctx, canControl: false };
  for (const command of ['restart', 'restart-failed'] as const) {
    const view = viewReducer(initialViewState(), { type: 'key', key: { command }, ctx: readOnly });
    t.is(view.confirm, null);
    t.is(view.effects.length, 0);
    t.is(view.status?.text, READ_ONLY_MESSAGE);
  }
});

test('R sends restart-failed at once; effects are dropped once run', (t) => {
  const view = press(initialViewState(), { command: 'restart-failed' });
  t.deepEqual(view.effects, [{ id: 1, kind: 'send', command: { type: 'restart-failed' } }]);
  const done = viewReducer(view, { type: 'effects-done', upTo: 1 });
  t.deepEqual(done.effects, []);
  t.is(done.nextEffectId, 2);
});

test('q asks in a run, quits at once attached; Ctrl-C always quits', (t) => {
  const asked = press(initialViewState(), { command: 'quit' });
  t.deepEqual(asked.confirm, { kind: 'quit' });
  t.deepEqual(
    press(asked, { command: 'confirm' }).effects.map((e) => e.kind),
    ['quit'],
  );
  const attached = viewReducer(initialViewState(), {
    type: 'key',
    key: { command: 'quit' },
    ctx: { ...ctx, mode: 'attach' },
  });
  t.deepEqual(
    attached.effects.map((e) => e.kind),
    ['quit'],
  );
  t.deepEqual(
    press(initialViewState(), { command: 'interrupt' }).effects.map((e) => e.kind),
    ['quit'],
  );
});

test('several keys in one frame are each applied in order', (t) => {
  const view = press(
    initialViewState(),
    { command: 'sort-next' },
    { command: 'sort-next' },
    { command: 'toggle-log' },
    { command: 'help' },
    { command: 'select-next' },
    { command: 'close' },
  );
  t.deepEqual(view.sort, { column: 'winRate', direction: 'desc' });
  t.true(view.showLog);
  t.false(view.showHelp);
  t.is(selectedId(view, ctx.workerIds), 1, 'keys under the help overlay do not move the selection');
  t.deepEqual(press(view, { command: 'sort-reverse' }).sort, { column: 'winRate', direction: 'asc' });
});
