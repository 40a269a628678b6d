import { loadAgent, type TradingAgent } from './model/index.js';

// What the commands that use a saved model (backtest, predict) share: how they load it and how
// they end on a problem — one line on stderr and an exit code.

/** Prints `trading-workers: message` on stderr and returns `code`. */
export function commandFailure(message: string, code: number): number {
  process.stderr.write(`trading-workers: ${message}\n`);
  return code;
}

/** An error's message as one line starting with the pair it concerns. */
export function pairMessage(pair: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith(`${pair}: `) ? message : `${pair}: ${message}`;
}

/**
 * Loads the model or ensemble and runs `body` with it, disposing it after: a model that cannot be
 * loaded or is refused (features that differ from the code) is exit code 2, bad input.
 */
export async function withAgent(
  model: string,
  body: (agent: TradingAgent) => Promise<number>,
): Promise<number> {
  let agent: TradingAgent;
  try {
    agent = await loadAgent(model);
  } catch (error) {
    return commandFailure((error as Error).message, 2);
  }
  try {
    return await body(agent);
  } finally {
    agent.dispose();
  }
}
