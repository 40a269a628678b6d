import test from 'ava';
import { emptyWorkerView, type WorkerView } from '../shared/index.js';
import { estimateEtaSeconds, workerEpisodeProgress } from './eta.js';

function view(overrides: Partial<WorkerView>): WorkerView {
  return {
    ...emptyWorkerView(1),
    state: 'training',
    process: 'running',
    pid: 1,
    pairs: ['BTC-USD'],
    jobId: 'BTC-USD/base',
    pair: 'BTC-USD',
    variant: 'base',
    episode: 1,
    episodes: 10,
    stepsPerEpisode: 1_000,
    jobsTotal: 4,
    ...overrides,
  };
}

test('workerEpisodeProgress counts closed jobs whole and the current job by episode and step', (t) => {
  t.deepEqual(workerEpisodeProgress(view({ episode: 4, step: 250 })), { done: 3.25, remaining: 36.75 });
  t.deepEqual(workerEpisodeProgress(view({ jobsDone: 1, jobsFailed: 1, episode: 1 })), {
    done: 20,
    remaining: 20,
  });
  t.deepEqual(workerEpisodeProgress(view({ state: 'evaluating', episode: 10 })), { done: 10, remaining: 30 });
  t.deepEqual(workerEpisodeProgress(view({ state: 'loading-data', episode: 0 })), { done: 0, remaining: 40 });
  t.deepEqual(workerEpisodeProgress(view({ state: 'done', jobId: null, jobsDone: 4 })), {
    done: 40,
    remaining: 0,
  });
  t.deepEqual(workerEpisodeProgress(view({ jobsTotal: 0, episodes: 0 })), { done: 0, remaining: 0 });
});

test('estimateEtaSeconds: slowest worker, unmeasured workers borrow the mean, inactive ones are left out', (t) => {
  t.is(estimateEtaSeconds([]), 0);
  t.is(estimateEtaSeconds([{ remainingEpisodes: 5, secondsPerEpisode: null, active: true }]), null);
  t.is(
    estimateEtaSeconds([
      { remainingEpisodes: 10, secondsPerEpisode: 6, active: true },
      { remainingEpisodes: 10, secondsPerEpisode: 10, active: true },
      { remainingEpisodes: 15, secondsPerEpisode: null, active: true },
    ]),
    120,
    'the unmeasured worker: 15 × mean(6, 10)',
  );
  t.is(
    estimateEtaSeconds([
      { remainingEpisodes: 10, secondsPerEpisode: 6, active: true },
      { remainingEpisodes: 100, secondsPerEpisode: 50, active: false },
    ]),
    60,
  );
  t.is(estimateEtaSeconds([{ remainingEpisodes: 0, secondsPerEpisode: 6, active: true }]), 0);
});
