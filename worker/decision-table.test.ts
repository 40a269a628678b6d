import test from 'ava';
import { DEFAULT_ENVIRONMENT } from '../shared/index.js';
import { fromQ } from '../test/helpers/fixed-policy-units.js';
import { loadRealCandles } from '../test/helpers/real-candles.js';
import { decodeTable, encodeTable, tableAction, tabulatePolicy } from './decision-table.js';
import { prepareFolds } from './prepare-pair.js';

const series = loadRealCandles('BTC_USD');
const prepared = prepareFolds('BTC-USD', series, DEFAULT_ENVIRONMENT);
// Depends on the position held: stays long unless the last hour fell, enters only after a rise.
const policy = fromQ((o) => [0, o[0]! + 0.5 * o[o.length - 1]!]);

test('a table holds the policy’s action at every hour for either position, and survives JSON', (t) => {
  const table = tabulatePolicy(policy, series, prepared.features, prepared.test);
  t.is(table.actions.length, 2 * 1751);
  const observation = new Float32Array(prepared.features.width + 1);
  for (const hour of [7008, 7500, 8758]) {
    for (const held of [0, 1]) {
      observation.set(
        prepared.features.data.subarray(hour * prepared.features.width, (hour + 1) * prepared.features.width),
      );
      observation[prepared.features.width] = held;
      t.is(tableAction(table, hour, held), policy(observation), `hour ${hour}, held ${held}`);
    }
  }
  t.true(
    Array.from({ length: 1751 }, (_, k) => table.actions[2 * k] !== table.actions[2 * k + 1]).some(Boolean),
    'the position changes some decisions, so both columns matter',
  );
  const text = encodeTable(table);
  t.is(text.length, 1751);
  t.regex(text, /^[0-3]+$/);
  t.deepEqual(decodeTable(JSON.parse(JSON.stringify(text)), prepared.test, 'unit.json'), table);
});

test('bad tables and hours outside the range are named', (t) => {
  const table = tabulatePolicy(policy, series, prepared.features, prepared.test);
  t.throws(() => tableAction(table, 8759, 0), { message: /\[7008, 8760\) has no decision at hour 8759/ });
  t.throws(() => tableAction(table, 7007, 1), { message: /no decision at hour 7007/ });
  t.throws(() => decodeTable('0123', prepared.test, 'results/checkpoints/x.json'), {
    message: /^results\/checkpoints\/x\.json: decision table has 4 entries, need 1751 digits 0–3$/,
  });
  t.throws(() => decodeTable(`${encodeTable(table).slice(1)}7`, prepared.test, 'x.json'), {
    message: /digits 0–3/,
  });
  t.throws(() => tabulatePolicy(() => 2, series, prepared.features, prepared.test), {
    message: /the policy answered 2 at hour 7008/,
  });
});
