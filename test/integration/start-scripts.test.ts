import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { repoRoot } from '../helpers/run-fixture.js';

// Windows parity (issue 11): start_training.bat rebuilds on the same sources as start_training.sh.
test('start_training.bat checks the same sources against dist/cli.js as start_training.sh', (t) => {
  const sh = readFileSync(path.join(repoRoot, 'start_training.sh'), 'utf8');
  const bat = readFileSync(path.join(repoRoot, 'start_training.bat'), 'utf8');
  const shSources = /find ([\w. ]+?) -newer dist\/cli\.js/.exec(sh)?.[1]?.split(' ');
  const batSources = /Get-ChildItem -Path ([\w.,]+) /.exec(bat)?.[1]?.split(',');
  t.truthy(shSources);
  t.deepEqual(batSources, shSources);
  t.regex(bat, /Get-Item 'dist\\cli\.js'/);
  t.regex(bat, /if not exist dist\\cli\.js set "STALE=1"/);
  t.regex(bat, /if defined STALE \(\r?\n\s+echo Building\.\.\. 1>&2\r?\n\s+call npm run build/);
});
