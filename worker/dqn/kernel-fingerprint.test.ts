import { createHash } from 'node:crypto';
import test from 'ava';
import { DEFAULT_HYPERPARAMETERS } from '../../shared/hyperparameters.js';
import { InlineMarket } from '../../test/helpers/inline-market.js';
import { loadRealCandles } from '../../test/helpers/real-candles.js';
import { DqnAgent } from './dqn-agent.js';

// Recorded with the kernel as it was before kernel.wat (main at 5d475d0, hand-typed SIMD bytes and
// JS loops): the rewrite changed how fast the arithmetic runs, not one bit of its results. A change
// to the arithmetic made on purpose (summation order, precision) changes this fingerprint: update
// it and say in the README's Speed section that results differ from before.
const FINGERPRINT = '3c477d5d0e116c8ec4b1b0cdbb590205520f88a89e14ff220ce15d7e51bc4535';

test('3,000 steps on real BTC candles give the same actions, losses and weights, bit for bit, as before the rewrite', (t) => {
  const market = new InlineMarket(loadRealCandles('BTC_USD').close.subarray(0, 1500));
  const agent = new DqnAgent({
    inputSize: market.observationSize,
    hyperparameters: { ...DEFAULT_HYPERPARAMETERS, warmupSteps: 200 },
    seed: 2024,
    totalSteps: 3000,
  });
  const obs = market.reset(new Float32Array(market.observationSize));
  const next = new Float32Array(market.observationSize);
  const hash = createHash('sha256');
  const losses: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const action = agent.act(obs);
    const { reward, done } = market.step(action, next);
    const { loss } = agent.observe(obs, action, reward * 100, next, done);
    hash.update(String(action));
    if (loss !== null) losses.push(loss);
    if (done) market.reset(obs);
    else obs.set(next);
  }
  t.is(agent.updates, 701);
  const { online, target, adam } = agent.getCheckpoint().network;
  for (const array of [Float64Array.from(losses), online, target, adam.m, adam.v]) {
    hash.update(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }
  t.is(hash.digest('hex'), FINGERPRINT);
});
