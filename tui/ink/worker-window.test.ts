import test from 'ava';
import { workerWindowCaption, workerWindowStart } from './worker-window.js';

test('the window moves only when the selection leaves it, by as little as it takes', (t) => {
  // 256 workers, 30 shown, starting at the top.
  t.is(workerWindowStart(0, 0, 30, 256), 0);
  t.is(workerWindowStart(0, 29, 30, 256), 0, 'the last visible row needs no scroll');
  t.is(workerWindowStart(0, 30, 30, 256), 1, 'one below scrolls by one');
  t.is(workerWindowStart(1, 15, 30, 256), 1, 'moving inside the window keeps it');
  t.is(workerWindowStart(10, 5, 30, 256), 5, 'above the window: it starts at the selection');
  t.is(workerWindowStart(0, 255, 30, 256), 226, 'wrapping to the last worker shows the end of the list');
  t.is(workerWindowStart(226, 0, 30, 256), 0, 'and back to the first');
});

test('the window never runs past the end, even when the fleet shrinks', (t) => {
  t.is(workerWindowStart(240, 250, 30, 256), 226);
  t.is(workerWindowStart(226, 10, 30, 20), 0, 'fewer workers than rows: from the top');
  t.is(workerWindowStart(100, -1, 30, 256), 100, 'no selection: the window stays');
  t.is(workerWindowStart(-5, 3, 30, 256), 0);
});

test('the caption says which workers are shown and how many lie beyond', (t) => {
  t.is(workerWindowCaption(0, 30, 256), 'workers 1–30 of 256 · ▼ 226 below');
  t.is(workerWindowCaption(100, 30, 256), 'workers 101–130 of 256 · ▲ 100 above · ▼ 126 below');
  t.is(workerWindowCaption(226, 30, 256), 'workers 227–256 of 256 · ▲ 226 above');
});
