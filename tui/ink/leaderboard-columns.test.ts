import test from 'ava';
import { fixtureLeaderboard } from '../../test/fixtures/dashboard-states.js';
import {
  columnsForWidth,
  DEFAULT_SORT,
  nextSort,
  SORT_ORDER,
  sortLeaderboard,
} from './leaderboard-columns.js';

const rows = fixtureLeaderboard(['BTC-USD', 'ETH-USD', 'SOL-USD', 'ADA-USD', 'MATIC-USD']);

test('the default sort is best P/L first', (t) => {
  t.deepEqual(
    sortLeaderboard(rows, DEFAULT_SORT).map((r) => r.pair),
    ['SOL-USD', 'BTC-USD', 'ADA-USD', 'ETH-USD', 'MATIC-USD'],
  );
});

test('missing Sharpe (no trades) sinks to the bottom in both directions', (t) => {
  const desc = sortLeaderboard(rows, { column: 'sharpe', direction: 'desc' }).map((r) => r.pair);
  const asc = sortLeaderboard(rows, { column: 'sharpe', direction: 'asc' }).map((r) => r.pair);
  t.is(desc[0], 'SOL-USD');
  t.is(desc.at(-1), 'ADA-USD');
  t.is(asc[0], 'MATIC-USD');
  t.is(asc.at(-1), 'ADA-USD');
});

test('s walks every sort column and comes back, drawdown smallest first', (t) => {
  let sort = DEFAULT_SORT;
  const seen = [sort.column];
  for (let i = 1; i < SORT_ORDER.length; i += 1) {
    sort = nextSort(sort);
    seen.push(sort.column);
    if (sort.column === 'maxDrawdown') t.is(sort.direction, 'asc');
  }
  t.deepEqual(seen, [...SORT_ORDER]);
  t.deepEqual(nextSort(sort), DEFAULT_SORT);
});

test('narrow terminals keep the core columns, wide ones add more, the sort column is always kept', (t) => {
  const narrow = columnsForWidth(80, 'pnl').map((c) => c.id);
  const wide = columnsForWidth(140, 'pnl').map((c) => c.id);
  for (const id of [
    'pair',
    'variant',
    'pnl',
    'winRate',
    'sharpe',
    'maxDrawdown',
    'trades',
    'buyAndHold',
  ] as const) {
    t.true(narrow.includes(id), id);
  }
  t.true(wide.length > narrow.length);
  t.true(columnsForWidth(40, 'trades').some((c) => c.id === 'trades'));
});
