import { DEFAULT_HYPERPARAMETERS } from '../shared/hyperparameters.js';
import { DqnAgent } from '../worker/dqn/dqn-agent.js';
import { loadBenchMarket } from './bench-market.js';
import { measure } from './measure.js';
const HP = { ...DEFAULT_HYPERPARAMETERS, epsilonStart: 0.05, epsilonEnd: 0.05 };
const market = await loadBenchMarket(process.argv[2]!, 'BTC-USD');
const probe = market.create();
const agent = new DqnAgent({ inputSize: probe.observationSize, hyperparameters: HP, seed: 7, totalSteps: probe.steps * 10, engine: 'js' });
const c = { act: (o: Float32Array) => agent.act(o), observe: (o: Float32Array, a: number, r: number, n: Float32Array, d: boolean) => agent.observe(o, a, r, n, d), get updates() { return agent.updates; }, dispose() {} };
for (let i = 0; i < Number(process.argv[4] ?? 1); i++) {
const m = await measure(c, market, HP.warmupSteps, Number(process.argv[3] ?? 20000));
console.log(m.stepsPerSecond.toFixed(0), 'steps/s', m.updatesPerSecond.toFixed(0), 'updates/s');
}
