import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { makeTempDir } from '../test/helpers/temp-dir.js';
import { pairsWithModels, resolvePairModel } from './paper-models.js';

test('a pair trades with its ensemble when there is one, else the best model kept, newest first', async (t) => {
  const tmp = makeTempDir('tw-paper-models-');
  t.teardown(tmp.remove);
  const models = tmp.dir;
  await fs.mkdir(path.join(models, 'worker_1_BTC_USD_model'), { recursive: true });
  await fs.mkdir(path.join(models, 'worker_3_BTC_USD_model'), { recursive: true });
  // An older run's folder: the newer one wins.
  await fs.utimes(
    path.join(models, 'worker_3_BTC_USD_model'),
    new Date('2020-01-01'),
    new Date('2020-01-01'),
  );
  await fs.mkdir(path.join(models, 'worker_2_ETH_USD_model'), { recursive: true });
  await fs.mkdir(path.join(models, 'ensembles', 'ETH_USD'), { recursive: true });
  await fs.writeFile(path.join(models, 'ensembles', 'ETH_USD', 'ensemble.json'), '{}');

  t.deepEqual(await resolvePairModel(models, 'BTC-USD', 'ensemble'), {
    pair: 'BTC-USD',
    path: path.join(models, 'worker_1_BTC_USD_model'),
    kind: 'model',
  });
  t.deepEqual(await resolvePairModel(models, 'ETH-USD', 'ensemble'), {
    pair: 'ETH-USD',
    path: path.join(models, 'ensembles', 'ETH_USD', 'ensemble.json'),
    kind: 'ensemble',
  });
  t.is((await resolvePairModel(models, 'ETH-USD', 'best')).path, path.join(models, 'worker_2_ETH_USD_model'));
  await t.throwsAsync(resolvePairModel(models, 'SOL-USD', 'ensemble'), {
    message:
      /^SOL-USD: no model in .* \(looked for ensembles\/SOL_USD\/ensemble\.json and worker_N_SOL_USD_model\/\)/,
  });
  await t.throwsAsync(resolvePairModel(path.join(models, 'nope'), 'SOL-USD', 'best'), {
    message: /--models .*nope: no such folder/,
  });
  t.deepEqual((await pairsWithModels(models)).sort(), ['BTC-USD', 'ETH-USD']);
});
