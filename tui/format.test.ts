import test from 'ava';
import stringWidth from 'string-width';
import {
  compactLogLine,
  errorHeadline,
  fitWidth,
  formatAge,
  formatCompact,
  formatDuration,
  formatFixed,
  formatPct,
  formatRatio,
  heartbeatAgeMs,
  jobFraction,
  jobLabel,
  progressBar,
  restartCountdownSeconds,
  sharpeTitle,
  sparkline,
  terminalText,
  truncate,
  workerBadge,
} from './format.js';

test('durations read as s, m+s, h+m, d+h; unknown is a dash', (t) => {
  t.is(formatDuration(0), '0s');
  t.is(formatDuration(45.4), '45s');
  t.is(formatDuration(723), '12m03s');
  t.is(formatDuration(7_500), '2h05m');
  t.is(formatDuration(3 * 86_400 + 4 * 3600 + 59), '3d04h');
  t.is(formatDuration(null), '—');
  t.is(formatDuration(Number.NaN), '—');
});

test('ages are compact and never negative', (t) => {
  t.is(formatAge(999), '0s');
  t.is(formatAge(47_000), '47s');
  t.is(formatAge(125_000), '2m');
  t.is(formatAge(-5_000), '0s');
  t.is(formatAge(null), '—');
});

test('percentages carry a sign, and rounding to zero drops the minus', (t) => {
  t.is(formatPct(3.214), '+3.21%');
  t.is(formatPct(-0.5), '-0.50%');
  t.is(formatPct(-0.001), '0.00%');
  t.is(formatPct(null), '—');
  t.is(formatRatio(0.576), '58%');
  t.is(formatFixed(-0.001), '0.00');
  t.is(formatCompact(812.4), '812');
  t.is(formatCompact(1_234), '1.2k');
  t.is(formatCompact(2_000_000), '2M');
});

test('progress bars fill proportionally and clamp', (t) => {
  t.is(progressBar(0.5, 10), '█████░░░░░');
  t.is(progressBar(2, 4), '████');
  t.is(progressBar(-1, 4), '░░░░');
  t.is(progressBar(Number.NaN, 3), '░░░');
});

test('sparklines scale the last values between their min and max', (t) => {
  t.is(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8), '▁▂▃▄▅▆▇█');
  t.is(sparkline([9, 9, 0, 7], 2), '▁█', 'only the last `width` values');
  t.is(sparkline([3, 3, 3], 5), '▄▄▄', 'flat curves sit in the middle');
  t.is(sparkline([], 5), '');
});

test('truncate and fitWidth cut with an ellipsis and pad to a width', (t) => {
  t.is(truncate('short', 10), 'short');
  t.is(truncate('a long error message', 8), 'a long …');
  t.is(truncate('line one\n  line two', 40), 'line one line two');
  t.is(fitWidth('ab', 4), 'ab  ');
  t.is(fitWidth('ab', 4, 'right'), '  ab');
  t.is(fitWidth('abcdef', 4), 'abc…');
});

test('the supervisor’s view of a worker wins over its own status', (t) => {
  const base = { state: 'training' as const, process: 'running' as const, stalled: false };
  t.is(workerBadge(base).kind, 'training');
  t.is(workerBadge({ ...base, stalled: true }).symbol, '⚠');
  t.is(workerBadge({ ...base, process: 'backoff' }).label, 'backoff');
  t.is(workerBadge({ ...base, process: 'failed' }).symbol, '✖');
  t.is(workerBadge({ ...base, process: 'exited' }).kind, 'exited');
  t.is(workerBadge({ ...base, state: 'done', process: 'done' }).symbol, '✔');
  t.is(workerBadge({ ...base, state: 'loading-data' }).symbol, '◐');
  t.is(workerBadge({ state: null, process: 'pending', stalled: false }).kind, 'pending');
  t.is(workerBadge({ ...base, state: 'stopped', process: 'stopped' }).symbol, '⏸');
});

test('job fraction, countdown, heartbeat age and error headline', (t) => {
  t.is(jobFraction({ episode: 4, episodes: 10, step: 500, stepsPerEpisode: 1000 }), 0.35);
  t.is(jobFraction({ episode: 0, episodes: 10, step: 0, stepsPerEpisode: 0 }), 0);
  t.is(restartCountdownSeconds({ nextRestartAt: 10_500 }, 4_000), 7);
  t.is(restartCountdownSeconds({ nextRestartAt: 1_000 }, 4_000), 0);
  t.is(restartCountdownSeconds({ nextRestartAt: null }, 4_000), null);
  t.is(heartbeatAgeMs({ heartbeatAt: 1_000 }, 48_000), 47_000);
  t.is(errorHeadline('\nError: boom\n    at x (y.ts:1:1)'), 'Error: boom');
  t.is(errorHeadline(null), null);
});

test('text from outside is drawn safely: no escapes, tabs expanded, controls dropped', (t) => {
  t.is(terminalText('plain ● text'), 'plain ● text');
  // A worker's coloured log line, one that would clear the screen, a tab table, a bell and a carriage return.
  t.is(terminalText('\u001B[31mred\u001B[39m done'), 'red done');
  t.is(terminalText('a\u001B[2Jb\u001B[Hc'), 'abc');
  t.is(terminalText('ab\tc\td'), 'ab      c       d');
  t.is(terminalText('\tx'), '        x');
  t.is(terminalText('ding\u0007 back\r over\u009B'), 'ding back over');
  for (const text of ['a\tb', '\u001B[1mbold\u001B[22m\tx', 'x\u0000y']) {
    const safe = terminalText(text);
    t.false(/\p{Cc}/u.test(safe), JSON.stringify(safe));
    // What the layout measures is what the terminal shows.
    t.is(stringWidth(safe), Array.from(safe).length);
  }
  t.is(
    compactLogLine('[2026-12-02T03:29:59.123Z] \u001B[33mwarn\u001B[39m\tslow'),
    `${localTime('2026-12-02T03:29:59.123Z')} warn   slow`,
  );
  t.is(errorHeadline('\u001B[31mError: boom\u001B[39m\n  at x'), 'Error: boom');
});

function localTime(iso: string): string {
  const d = new Date(iso);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

test('jobLabel says what a worker is on, and that a finished worker has finished', (t) => {
  const base = {
    pair: 'BTC-USD',
    variant: 'base',
    state: 'training' as const,
    jobsDone: 1,
    jobsFailed: 0,
    jobsTotal: 4,
  };
  t.is(jobLabel(base, ' · '), 'BTC-USD · base');
  t.is(jobLabel({ ...base, pair: null, variant: null, state: 'starting' }, '/'), 'no job yet');
  t.is(jobLabel({ ...base, state: 'done', jobsDone: 3, jobsFailed: 1 }, '/'), 'all 4 jobs finished');
  t.is(jobLabel({ ...base, state: 'done', jobsDone: 2 }, '/'), '2/4 jobs finished');
  t.is(jobFraction({ episode: 0, episodes: 3, step: 0, stepsPerEpisode: 0, state: 'done' }), 1);
});

test('sharpeTitle names the annualisation when the rows carry it, else stays as older files read', (t) => {
  t.is(sharpeTitle([{}, { annualization: 8760 }]), 'Sharpe ×√8760');
  t.is(sharpeTitle([{ annualization: 365 }]), 'Sharpe ×√365');
  t.is(sharpeTitle([{}]), 'Sharpe');
  t.is(sharpeTitle([]), 'Sharpe');
});
