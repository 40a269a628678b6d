import test from 'ava';
import { InputError } from '../shared/index.js';
import { toDataSettings, toEvaluationSettings } from './arguments.js';
import { UsageError } from './exit-codes.js';

const data = { days: 30, data: 'data' };

test('--synthetic without a value is the market kind; with one, that kind', (t) => {
  t.like(toDataSettings({ ...data, synthetic: '' }), { source: 'synthetic', syntheticKind: 'market' });
  t.like(toDataSettings({ ...data, synthetic: 'planted' }), {
    source: 'synthetic',
    syntheticKind: 'planted',
  });
  t.like(toDataSettings({ ...data, synthetic: 'random-walk' }), { syntheticKind: 'random-walk' });
  t.false('syntheticKind' in toDataSettings(data), 'no kind without the synthetic source');
  t.throws(() => toDataSettings({ ...data, synthetic: 'Planted' }), {
    instanceOf: UsageError,
    message: '--synthetic must be one of market, planted, random-walk, got "Planted"',
  });
});

test('evaluation flags: folds, seeds and annualisation, each refused by name when out of range', (t) => {
  t.deepEqual(toEvaluationSettings({ folds: 3, seeds: 2, annualization: 8760 }), {
    folds: 3,
    seeds: 2,
    annualization: 8760,
  });
  t.deepEqual(toEvaluationSettings({ folds: 1, seeds: 1, annualization: 365 }).annualization, 365);
  t.throws(() => toEvaluationSettings({ folds: 21, seeds: 1, annualization: 8760 }), {
    instanceOf: InputError,
    message: /^--folds must be a whole number from 1 to 20, got 21$/,
  });
  t.throws(() => toEvaluationSettings({ folds: 1, seeds: 0, annualization: 8760 }), { message: /^--seeds/ });
  t.throws(() => toEvaluationSettings({ folds: 1, seeds: 1, annualization: Number.NaN }), {
    message: /^--annualization must be a number of periods per year above 0, got NaN$/,
  });
});
