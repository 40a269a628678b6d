import test from 'ava';
import { loadRealCandles } from '../../test/helpers/real-candles.js';
import { EnsembleAgent, majorityVote } from './ensemble-agent.js';
import { ModelAgent } from './model-agent.js';
import type { QFunction } from './q-function.js';
import type { ModelInfo } from './trading-agent.js';

const info = (dir: string, windowSize = 12): ModelInfo => ({
  dir,
  pair: 'ETH-USD',
  variant: null,
  jobId: null,
  seed: 7,
  evaluationSeed: null,
  trainedFrom: null,
  heldOutFrom: null,
  featureSettings: { version: 1, windowSize, returnScale: 120 },
});

/** A member whose Q-values come from `rule(observation)`; it records the positions it was shown. */
function member(dir: string, rule: (obs: Float32Array) => number, windowSize = 12) {
  const seen: number[] = [];
  const inputSize = windowSize + 8 + 1;
  const network: QFunction = {
    inputSize,
    actions: 2,
    qValues: (obs, out) => {
      seen.push(obs[inputSize - 1]!);
      out[0] = 0;
      out[1] = rule(obs);
    },
    dispose: () => {},
  };
  return { agent: new ModelAgent(info(dir, windowSize), network), seen };
}

test('majority vote: long needs more long than flat votes; a tie holds cash', (t) => {
  t.is(majorityVote([1]), 1);
  t.is(majorityVote([0]), 0);
  t.is(majorityVote([1, 0]), 0);
  t.is(majorityVote([1, 1, 0]), 1);
  t.is(majorityVote([1, 1, 0, 0]), 0);
  t.is(majorityVote([1, 1, 1, 0]), 1);
});

test('members vote on their own features with the position the ensemble holds', (t) => {
  const candles = loadRealCandles('ETH_USD');
  // Member 1 follows the last hourly return, member 2 its opposite, member 3 is always long.
  const follow = member('m1', (obs) => obs[0]!);
  const fade = member('m2', (obs) => -obs[0]!, 24);
  const long = member('m3', () => 1);
  const ensemble = new EnsembleAgent('ens.json', 'ETH-USD', [follow.agent, fade.agent, long.agent], null);
  t.is(ensemble.warmupCandles, 168);
  const features = ensemble.features(candles);
  t.is(features.width, 20 + 32 + 20);
  const from = candles.times[candles.times.length - 500];
  const actions = ensemble.actions(candles, { from });
  t.is(actions.length, 500);
  for (const a of actions) {
    // Exactly one of follow/fade says long when the return is not 0, plus the always-long member.
    t.deepEqual(a.votes, a.qValues[0]![1] === 0 ? [2, 1] : [1, 2]);
    t.is(a.action, a.qValues[0]![1] === 0 ? 'flat' : 'long');
    // Member 2 reads the same return from its own (wider) feature row.
    t.true(a.qValues[1]![1] === -a.qValues[0]![1]!);
  }
  // Every member was shown the ensemble's position, the previous decision's.
  const positions = actions.map((a) => (a.position === 'long' ? 1 : 0));
  t.deepEqual(follow.seen, positions);
  t.deepEqual(fade.seen, positions);
  t.deepEqual(long.seen, positions);
  t.throws(() => ensemble.decide(new Float32Array(10)), {
    message: /ens\.json: observation has 10 values, the ensemble takes 73/,
  });
});
