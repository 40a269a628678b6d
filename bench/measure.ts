import { Rng } from '../worker/rng.js';
import type { BenchEnvironment, BenchMarket } from './bench-market.js';

/** One DQN implementation as the bench drives it. */
export interface Contender {
  act(obs: Float32Array): number;
  /** Stores a transition and trains when the schedule says so (the baseline's model.fit is async). */
  observe(obs: Float32Array, action: number, reward: number, nextObs: Float32Array, done: boolean): unknown;
  readonly updates: number;
  dispose(): void;
}

export interface Measurement {
  steps: number;
  updates: number;
  seconds: number;
  stepsPerSecond: number;
  updatesPerSecond: number;
  /** CPU time of this process over the timed steps (user + system): less sensitive to other load. */
  cpuSeconds: number;
  /** Steps per second of CPU time. */
  stepsPerCpuSecond: number;
}

/** Drives a contender through the environment, resetting at episode ends; awaits only real promises. */
async function drive(
  contender: Contender,
  env: BenchEnvironment,
  state: { obs: Float32Array },
  steps: number,
) {
  for (let i = 0; i < steps; i++) {
    const action = contender.act(state.obs);
    const { observation, reward, done } = env.step(action);
    const pending = contender.observe(state.obs, action, reward, observation, done);
    if (pending instanceof Promise) await pending;
    state.obs.set(done ? env.reset() : observation);
  }
}

/** Fills the replay buffer with random-action transitions: no forward passes, no updates. */
async function prefill(
  contender: Contender,
  env: BenchEnvironment,
  state: { obs: Float32Array },
  steps: number,
) {
  const rng = new Rng(1);
  for (let i = 0; i < steps; i++) {
    const action = rng.int(2);
    const { observation, reward, done } = env.step(action);
    const pending = contender.observe(state.obs, action, reward, observation, done);
    if (pending instanceof Promise) await pending;
    state.obs.set(done ? env.reset() : observation);
  }
}

/**
 * Prefills the replay buffer for `warmupSteps` untimed steps (up to the first update), then times
 * `steps` environment steps in the steady state where an update happens every trainEvery steps.
 */
export async function measure(
  contender: Contender,
  market: BenchMarket,
  warmupSteps: number,
  steps: number,
): Promise<Measurement> {
  const env = market.create();
  const state = { obs: Float32Array.from(env.reset()) };
  await prefill(contender, env, state, warmupSteps - 1);
  const updatesBefore = contender.updates;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await drive(contender, env, state, steps);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const updates = contender.updates - updatesBefore;
  return {
    steps,
    updates,
    seconds,
    stepsPerSecond: steps / seconds,
    updatesPerSecond: updates / seconds,
    cpuSeconds,
    stepsPerCpuSecond: steps / cpuSeconds,
  };
}
