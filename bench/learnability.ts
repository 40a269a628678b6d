// The learnability checks of issue 8 over several run seeds (the CI test runs seed 42 only):
//   npx tsx bench/learnability.ts 1 2 3 4 5
// For each seed: the planted signal with the default hyperparameters, the same with learning rate 0,
// and the driftless random walk; one line each, then how many seeds passed each check.
import { describeRun, passesPlantedCheck, runLearnability } from './learnability-run.js';

const seeds = process.argv.slice(2).map(Number);
if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s) || s < 0)) {
  process.stderr.write('usage: npx tsx bench/learnability.ts SEED [SEED …] (non-negative integers)\n');
  process.exit(2);
}
let planted = 0;
let disabled = 0;
let walk = 0;
for (const seed of seeds) {
  const learned = await runLearnability('planted', seed);
  const frozen = await runLearnability('planted', seed, { learningRate: 0 });
  const random = await runLearnability('random-walk', seed);
  process.stdout.write(
    `${describeRun('planted', seed, learned)} → ${passesPlantedCheck(learned) ? 'pass' : 'FAIL'}\n`,
  );
  process.stdout.write(
    `${describeRun('planted, lr 0', seed, frozen)} → ${passesPlantedCheck(frozen) ? 'PASSES (should not)' : 'fails, as it should'}\n`,
  );
  process.stdout.write(
    `${describeRun('random-walk', seed, random)} → ${random.pVsBuyAndHold >= 0.05 ? 'not significant' : 'SIGNIFICANT'}\n`,
  );
  if (passesPlantedCheck(learned)) planted++;
  if (!passesPlantedCheck(frozen)) disabled++;
  if (random.pVsBuyAndHold >= 0.05) walk++;
}
process.stdout.write(
  `planted check passed on ${planted}/${seeds.length} seeds; failed with lr 0 on ${disabled}/${seeds.length}; random walk not significant on ${walk}/${seeds.length}\n`,
);
