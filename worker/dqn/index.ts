export { readAgentCheckpoint, writeAgentCheckpoint } from './agent-checkpoint.js';
export { type BackendName, currentBackend, describeEngine, selectBackend } from './backend.js';
export { type AgentCheckpoint, DqnAgent, type DqnAgentOptions, type ObserveResult } from './dqn-agent.js';
export {
  FEATURE_SETTINGS_JSON,
  greedyActionsFromModel,
  type LoadedModel,
  loadModel,
  MODEL_JSON,
  type ModelMetadata,
  ModelMetadataSchema,
  saveModel,
  WEIGHTS_BIN,
} from './model-io.js';
export type { EngineKind } from './q-engine.js';
