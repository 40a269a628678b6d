import test from 'ava';
import { describeRun, passesPlantedCheck, runLearnability } from '../../bench/learnability-run.js';

// Issue 8, item 7: tests that fail when learning is broken. Default hyperparameters, the default 10
// episodes, one fold and one seed, 180 days of synthetic candles from the run seed 42. The planted
// signal was checked on run seeds 1–5 as well (`npx tsx bench/learnability.ts 1 2 3 4 5`, see README).

const RUN_SEED = 42;

test.serial(
  'on the planted signal the agent learns: ≥ 50 % of the oracle, beats buy-and-hold and random at p < 0.05',
  async (t) => {
    t.timeout(600_000);
    const run = await runLearnability('planted', RUN_SEED);
    t.log(describeRun('planted', RUN_SEED, run));
    t.true(run.oracleLogReturn > 0.3, 'the oracle has something to find');
    t.true(
      run.agentLogReturn >= 0.5 * run.oracleLogReturn,
      `agent ${run.agentLogReturn}, oracle ${run.oracleLogReturn}`,
    );
    t.true(run.pVsBuyAndHold < 0.05, `p vs buy-and-hold ${run.pVsBuyAndHold}`);
    t.true(run.pVsRandom < 0.05, `p vs matched random ${run.pVsRandom}`);
    t.true(passesPlantedCheck(run));
  },
);

test.serial(
  'with learning rate 0 the same check fails: the pass above is learning, not the evaluation',
  async (t) => {
    t.timeout(600_000);
    const run = await runLearnability('planted', RUN_SEED, { learningRate: 0 });
    t.log(describeRun('planted, lr 0', RUN_SEED, run));
    t.false(passesPlantedCheck(run));
    t.true(run.agentLogReturn < 0.5 * run.oracleLogReturn);
  },
);

test.serial('on a driftless random walk the agent is not significant against buy-and-hold', async (t) => {
  t.timeout(600_000);
  const run = await runLearnability('random-walk', RUN_SEED);
  t.log(describeRun('random-walk', RUN_SEED, run));
  t.true(run.pVsBuyAndHold >= 0.05, `p vs buy-and-hold ${run.pVsBuyAndHold}`);
});
