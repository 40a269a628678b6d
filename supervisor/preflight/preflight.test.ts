import path from 'node:path';
import test from 'ava';
import { DEFAULT_ENVIRONMENT, InputError } from '../../shared/index.js';
import type { RunOptions } from '../run.js';
import { didYouMean } from './did-you-mean.js';
import { missingPairFile, pairsInFolder } from './pair-files.js';
import { preflightRunFolder, preflightTrain } from './preflight.js';
import type { PathKind, PreflightProbes } from './probes.js';

const SHARED_NAMES = ['BTC_USD_data.csv', 'ETH_USD_data.csv', 'SOL_USD_data.csv', 'README.md'];

/** A fake file system: folders and files by absolute path, every folder writable unless listed. */
function probes(
  entries: Record<string, PathKind>,
  overrides: Partial<PreflightProbes> = {},
): PreflightProbes & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    kind: async (p) => entries[path.resolve(p)] ?? null,
    list: async (dir) =>
      Object.keys(entries)
        .filter((p) => path.dirname(p) === path.resolve(dir))
        .map((p) => path.basename(p)),
    writable: async () => null,
    runtime: async (kind) => {
      asked.push(`runtime ${kind}`);
      return null;
    },
    candles: async () => {
      asked.push('candles');
      return null;
    },
    ...overrides,
  };
}

function options(overrides: Partial<RunOptions> = {}): RunOptions {
  return {
    workers: 2,
    pairs: ['BTC-USD', 'ETH-USD'],
    variants: 1,
    episodes: 1,
    data: {
      source: 'data-dir',
      days: 30,
      interval: '1h',
      cacheDir: '/w/data',
      dataDir: '/shared/data',
      refresh: false,
    },
    environment: DEFAULT_ENVIRONMENT,
    seed: 7,
    resultsDir: '/w/results',
    modelsDir: '/w/models',
    runtime: 'local',
    fresh: false,
    ...overrides,
  };
}

const fs = (): Record<string, PathKind> => ({
  '/': 'dir',
  '/w': 'dir',
  '/shared': 'dir',
  '/shared/data': 'dir',
  ...Object.fromEntries(SHARED_NAMES.map((n) => [`/shared/data/${n}`, 'file' as const])),
});

test('did you mean: a typo of a known pair is named, a different symbol is not', (t) => {
  t.is(didYouMean('BTC-USDD', ['BTC-USD', 'ETH-USD']), 'BTC-USD');
  t.is(didYouMean('btc-usd', ['BTC-USD']), null, 'the same name is no suggestion');
  t.is(didYouMean('ETC-USD', ['ETH-USD', 'BTC-USD']), 'ETH-USD');
  t.is(didYouMean('PEPE-USD', ['BTC-USD', 'ETH-USD']), null);
  t.is(didYouMean('MATIC-USD', ['BTC-USD', 'ETH-USD']), null, 'three edits is another symbol');
});

test('the pairs of a folder come from its PAIR_data.csv names', (t) => {
  t.deepEqual(pairsInFolder(SHARED_NAMES), ['BTC-USD', 'ETH-USD', 'SOL-USD']);
  t.is(missingPairFile(['BTC-USD'], '/shared/data', SHARED_NAMES, '--data-dir /shared/data'), null);
});

// Issue 13, item 1: `--pairs BTC-USDD --data-dir ../shared/data` started a worker and failed its jobs.
test('a pair without its file in --data-dir is one line with a did-you-mean, before anything starts', async (t) => {
  const p = probes(fs());
  const error = await t.throwsAsync(preflightTrain(options({ pairs: ['BTC-USDD'] }), p), {
    instanceOf: InputError,
  });
  t.is(
    error?.message,
    '--pairs BTC-USDD: no candle file /shared/data/BTC_USDD_data.csv in --data-dir /shared/data ' +
      '(it has BTC-USD, ETH-USD, SOL-USD); did you mean BTC-USD?',
  );
  t.deepEqual(p.asked, [], 'neither the runtime nor the network was asked');
});

test('folders: a missing --data-dir, a --results that is a file, an offline cache without the pair', async (t) => {
  await t.throwsAsync(
    preflightTrain(options({ data: { ...options().data, dataDir: '/nope' } }), probes(fs())),
    {
      message: '--data-dir /nope: no such folder',
    },
  );
  await t.throwsAsync(preflightTrain(options(), probes({ ...fs(), '/w/results': 'file' })), {
    message: '--results /w/results: is a file, not a folder',
  });
  const offline = { ...options().data, source: 'offline' as const, dataDir: null, cacheDir: '/w/data' };
  await t.throwsAsync(preflightTrain(options({ data: offline }), probes({ ...fs(), '/w/data': 'dir' })), {
    message: /--pairs BTC-USD: no candle file \/w\/data\/BTC_USD_data\.csv in the offline cache/,
  });
  await t.throwsAsync(
    preflightTrain(options(), probes(fs(), { writable: async () => 'not writable (EACCES)' })),
    { message: '--results /w/results: cannot be created in /w: not writable (EACCES)' },
  );
});

test('plan numbers are bad input named by their flag (a bad --seed exits 2, not 1)', async (t) => {
  for (const [patch, message] of [
    [{ seed: -1 }, /--seed must be a whole number from 0 to 2147483647, got -1/],
    [{ seed: Number.NaN }, /--seed .* got NaN/],
    [{ workers: 65 }, /--workers must be a whole number from 1 to 64, got 65/],
    [{ episodes: 10_001 }, /--episodes must be a whole number from 1 to 10000/],
  ] as const) {
    await t.throwsAsync(preflightTrain(options(patch), probes(fs())), { instanceOf: InputError, message });
  }
});

test('the runtime and the candles are asked once each, in that order, and their answer is the error', async (t) => {
  const ok = probes(fs());
  await preflightTrain(options({ runtime: 'docker' }), ok);
  t.deepEqual(ok.asked, ['runtime docker', 'candles']);
  const noEngine = probes(fs(), {
    runtime: async () => '--runtime docker: the Docker engine does not answer (x)',
  });
  await t.throwsAsync(preflightTrain(options({ runtime: 'docker' }), noEngine), {
    message: '--runtime docker: the Docker engine does not answer (x)',
  });
  const noYahoo = probes(fs(), { candles: async () => 'cannot reach Yahoo Finance (ENOTFOUND)' });
  await t.throwsAsync(preflightTrain(options(), noYahoo), { message: /cannot reach Yahoo Finance/ });
});

test('a results folder or run folder that does not exist: dashboard, status and logs stop at once', async (t) => {
  await t.throwsAsync(preflightRunFolder('/nonexistent', probes(fs())), {
    instanceOf: InputError,
    message: '--results /nonexistent: no such folder',
  });
  await t.notThrowsAsync(preflightRunFolder('/w', probes(fs())));
});
