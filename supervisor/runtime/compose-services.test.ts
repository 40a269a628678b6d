import { promises as fs } from 'node:fs';
import test from 'ava';
import { checkComposeServices, composeWorkerServices, defaultComposeFile } from './docker-runtime.js';

test('the project compose file defines worker-1 … worker-4', async (t) => {
  const text = await fs.readFile(defaultComposeFile(), 'utf8');
  t.deepEqual(composeWorkerServices(text), [1, 2, 3, 4]);
  t.notThrows(() => checkComposeServices(defaultComposeFile(), [1, 2, 3, 4]));
});

test('a plan with more workers than compose services fails before anything starts, naming them', (t) => {
  const error = t.throws(() => checkComposeServices(defaultComposeFile(), [1, 2, 3, 4, 5, 6]));
  t.regex(
    error?.message ?? '',
    /defines worker-1, worker-2, worker-3, worker-4, but the plan needs worker-5, worker-6/,
  );
  t.regex(error?.message ?? '', /--workers 4/);
});

test('an unreadable compose file is named', (t) => {
  const error = t.throws(() => checkComposeServices('/nonexistent/compose.yml', [1]));
  t.regex(error?.message ?? '', /cannot read \/nonexistent\/compose\.yml/);
});
