// The public model module, `ai-trading-workers/model`: load a saved model or ensemble and ask it
// for greedy actions on candles, with the features built exactly as training built them.
export type { ActionsOptions } from './agent-actions.js';
export type { CandleColumns, CandleRow, CandlesInput } from './candle-input.js';
export { EnsembleAgent, majorityVote } from './ensemble-agent.js';
export {
  ENSEMBLE_JSON,
  type EnsembleSpec,
  readEnsembleManifest,
  writeEnsembleManifest,
} from './ensemble-manifest.js';
export { ACTION_NAMES, checkModelFeatures } from './feature-compatibility.js';
export { type LoadAgentOptions, loadAgent } from './load-agent.js';
export { ModelAgent } from './model-agent.js';
export type { InferenceEngine } from './q-function.js';
export type { AgentAction, Decision, ModelInfo, TradingAgent } from './trading-agent.js';
export { trainingPeriod } from './training-period.js';
