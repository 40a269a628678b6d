// `npm run chaos`: the chaos suite at a chosen scale (default: the CI scale; `--full`: the default
// plan, 15 pairs × 4 variants × 10 episodes on 4 workers). Prints what it did and what it checked;
// exits 1 when a check failed.
//   npm run chaos [-- --full] [-- --chaos-seed N]
import { parseArgs } from 'node:util';
import { DEFAULT_PAIRS, VARIANTS } from '../../shared/index.js';
import { type ChaosPlan, CI_CHAOS, runChaos } from '../helpers/chaos-run.js';

const { values } = parseArgs({
  options: { full: { type: 'boolean' }, 'chaos-seed': { type: 'string' } },
});
const plan: ChaosPlan = values.full
  ? {
      ...CI_CHAOS,
      workers: 4,
      pairs: [...DEFAULT_PAIRS],
      variants: VARIANTS.length,
      episodes: 10,
      days: 365,
      workerKills: 30,
      supervisorKills: 3,
      stallSeconds: 20,
      diskSize: '512m',
    }
  : CI_CHAOS;
if (values['chaos-seed']) plan.chaosSeed = Number(values['chaos-seed']);

const stamp = () => new Date().toISOString().slice(11, 19);
const outcome = await runChaos(plan, (line) => console.log(`[${stamp()}] ${line}`));
console.log(
  `\nbaseline ${outcome.baselineSeconds.toFixed(0)} s, chaos run ${outcome.chaosSeconds.toFixed(0)} s`,
);
console.log(JSON.stringify(outcome.counts, null, 2));
for (const check of outcome.checks)
  console.log(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}`);
process.exitCode = outcome.checks.every((c) => c.ok) ? 0 : 1;
