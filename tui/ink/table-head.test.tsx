/** @jsxRuntime automatic */
/** @jsxImportSource react */
import test from 'ava';
import { render } from 'ink-testing-library';
import { resizeFakeStdout } from '../../test/helpers/ink.js';
import { TableTitle } from './table-head.js';

// Seen in tmux at 160 columns with the log pane open: "… significant (0.75sorted by P/L ▼": a title and
// hint both cut to fit were glued together.

const TITLE =
  'Leaderboard · 15 pairs, 15 ensembles · Sharpe ×√8760 · 0/15 significant (0.75 expected by chance)';
const HINT = 'sorted by P/L ▼  s next · S reverse';

for (const width of [40, 60, 80, 160]) {
  test(`at ${width} columns the title and its hint stay apart and fit`, async (t) => {
    const { lastFrame, unmount, stdout } = render(<TableTitle title={TITLE} hint={HINT} width={width} />);
    t.teardown(unmount);
    resizeFakeStdout(stdout, width, 10);
    await new Promise((resolve) => setImmediate(resolve));
    const line = lastFrame() ?? '';
    t.false(line.includes('\n'));
    t.true(line.length <= width, line);
    t.true(line.startsWith('Leaderboard'), line);
    const hintAt = line.indexOf('sorted');
    t.not(hintAt, -1, line);
    t.is(line[hintAt - 1], ' ', line);
  });
}
