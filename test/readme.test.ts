import { promises as fs } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { keymapMarkdown } from '../tui/keymap.js';
import { repoRoot } from './helpers/run-fixture.js';

test('the README key table is the dashboard key map, so the two cannot drift', async (t) => {
  const readme = await fs.readFile(path.join(repoRoot, 'README.md'), 'utf8');
  const match = /<!-- keymap:start -->\n([\s\S]*?)\n<!-- keymap:end -->/.exec(readme);
  t.truthy(match, 'README.md lacks the keymap markers');
  t.is(match?.[1]?.trim(), keymapMarkdown().trim());
});

test('the README quick start names the two set-up commands', async (t) => {
  const readme = await fs.readFile(path.join(repoRoot, 'README.md'), 'utf8');
  const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Commands'));
  t.regex(quickStart, /^\.\/start_training\.sh/m);
  t.regex(quickStart, /^npm test/m);
});

// Issue 13, item 7: the README said `models/jobs/PAIR__variant` where the folder is `BTC_USD__base`.
test('the README names job model folders as they are on disk, and lists exit codes and troubleshooting', async (t) => {
  const readme = await fs.readFile(path.join(repoRoot, 'README.md'), 'utf8');
  const { jobModelDir } = await import('../shared/index.js');
  t.true(readme.includes(`\`${jobModelDir('models', 'BTC-USD', 'base')}/\``), 'models/jobs/BTC_USD__base/');
  t.regex(readme, /### Exit codes[\s\S]*\| 2 \| bad input/);
  t.regex(readme, /## Troubleshooting[\s\S]*did you mean BTC-USD\?/);
  for (const command of ['status', 'logs']) t.true(readme.includes(`trading-workers ${command}`), command);
});
