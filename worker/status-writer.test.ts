import { readFileSync } from 'node:fs';
import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { WorkerStatus } from '../shared/index.js';
import { makeTempDir } from '../test/helpers/temp-dir.js';
import { waitFor } from '../test/helpers/wait-for.js';
import { StatusWriter } from './status-writer.js';

const read = (file: string): WorkerStatus | null => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as WorkerStatus;
  } catch {
    return null;
  }
};

const current = {
  jobId: 'BTC-USD/base',
  pair: 'BTC-USD',
  variant: 'base',
  jobIndex: 0,
  episode: 1,
  episodes: 10,
  step: 0,
  stepsPerEpisode: 5_813,
};

const episode = (n: number) => ({
  episode: n,
  reward: 1.5 * n,
  pnlPct: 0.4,
  epsilon: 0.5,
  loss: 0.02,
  stepsPerSecond: 777,
  updates: 1_450,
  seconds: 7.5,
});

/**
 * A writer in a fresh folder whose throttle and heartbeat are far longer than a test: any routine
 * write that lands would be a bug, not a race.
 */
function untimedWriter(t: ExecutionContext, workerId: number): { file: string; writer: StatusWriter } {
  const { dir, remove } = makeTempDir('tw-status-');
  t.teardown(remove);
  const file = path.join(dir, `worker_${workerId}_status.json`);
  const writer = new StatusWriter({
    file,
    runId: 'r',
    workerId,
    minIntervalMs: 600_000,
    heartbeatMs: 600_000,
  });
  t.teardown(() => writer.close());
  return { file, writer };
}

test('routine progress and finished episodes are coalesced under the throttle; milestones are written at once', async (t) => {
  const { file, writer } = untimedWriter(t, 1);
  await writer.setState('training', { current });
  t.is(read(file)?.seq, 1);

  for (let step = 1; step <= 50; step++) writer.update({ current: { ...current, step: step * 100 } });
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.is(read(file)?.seq, 1, 'fifty progress updates wrote nothing within the interval');

  // An episode's end waits for the next write (issue 12: a write per episode was most of the files).
  writer.episodeFinished('BTC-USD/base', episode(1), { ...current, episode: 2, step: 0 });
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.is(read(file)?.seq, 1, 'a finished episode is routine');

  writer.update({ jobsDone: 1, lastJobPnlPct: 2.5 });
  const afterJob = await waitFor(() => (read(file)?.seq === 2 ? read(file) : null), 'the job-end write');
  t.is(afterJob.jobsDone, 1);
  t.is(afterJob.lastEpisode?.episode, 1, 'the next write carries the episode');
  t.deepEqual(
    afterJob.recentEpisodes?.map((e) => [e.jobId, e.episode]),
    [['BTC-USD/base', 1]],
  );
  t.deepEqual(afterJob.recentRewards, [1.5]);
  t.is(afterJob.stepsPerSecond, 777);

  writer.update({ lastError: 'no data for XRP-USD' });
  const afterError = await waitFor(() => (read(file)?.seq === 3 ? read(file) : null), 'the error write');
  t.is(afterError.lastError, 'no data for XRP-USD');

  // The same error again, or progress, is routine.
  writer.update({ lastError: 'no data for XRP-USD', stepsPerSecond: 800 });
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.is(read(file)?.seq, 3);

  await writer.close();
  const last = read(file);
  t.is(last?.seq, 4, 'close writes the last state');
  t.is(last?.stepsPerSecond, 800);
});

test('every finished episode travels in the write after it and the one after that, so a reader missing one write still sees it', async (t) => {
  const { file, writer } = untimedWriter(t, 3);
  const finish = (n: number) =>
    writer.episodeFinished('BTC-USD/base', episode(n), { ...current, episode: n + 1 });
  const episodesWritten = async () => {
    await writer.flush();
    return read(file)?.recentEpisodes?.map((e) => e.episode);
  };
  finish(1);
  finish(2);
  t.deepEqual(await episodesWritten(), [1, 2]);
  finish(3);
  t.deepEqual(await episodesWritten(), [1, 2, 3], "the previous write's episodes, then this one's");
  t.deepEqual(await episodesWritten(), [3]);
  t.deepEqual(await episodesWritten(), [], 'nothing finished in the last two writes');
  for (let n = 4; n <= 20; n++) finish(n);
  t.deepEqual(await episodesWritten(), [13, 14, 15, 16, 17, 18, 19, 20], 'at most eight, the latest');
  t.is(read(file)?.lastEpisode?.episode, 20);
});

test('the heartbeat keeps writing an idle worker at the throttle rate', async (t) => {
  const { dir, remove } = makeTempDir('tw-status-');
  t.teardown(remove);
  const file = path.join(dir, 'worker_2_status.json');
  const writer = new StatusWriter({ file, runId: 'r', workerId: 2, minIntervalMs: 20, heartbeatMs: 20 });
  t.teardown(() => writer.close());
  await writer.setState('training');
  const first = read(file)!;
  const later = await waitFor(() => {
    const s = read(file);
    return s && s.seq >= first.seq + 2 ? s : null;
  }, 'two heartbeats');
  t.true(Date.parse(later.heartbeatAt) >= Date.parse(first.heartbeatAt));
});
