import type { TradingAgent } from './trading-agent.js';

/**
 * The hours the agent's models learned from: the earliest first training candle and the latest
 * held-out start among them (epoch ms; null where a model does not record it). Hours before
 * `heldOutFrom` (and from `from`) are in-sample.
 */
export function trainingPeriod(agent: Pick<TradingAgent, 'models'>): {
  from: number | null;
  heldOutFrom: number | null;
} {
  const froms = agent.models.map((m) => m.trainedFrom);
  const held = agent.models.map((m) => m.heldOutFrom);
  return {
    from: froms.every((x) => x !== null) ? Math.min(...(froms as number[])) : null,
    heldOutFrom: held.every((x) => x !== null) ? Math.max(...(held as number[])) : null,
  };
}
