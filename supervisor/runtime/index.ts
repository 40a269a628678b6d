export {
  type ContainerBackend,
  type ContainerObservation,
  createContainerRuntime,
} from './container-runtime.js';
export { type ContainerDeps, createRuntime, preflightContainerRuntime } from './create-runtime.js';
export {
  type ComposeCommand,
  composeProjectName,
  createDockerRuntime,
  type DockerRuntimeOptions,
  defaultComposeFile,
  detectCompose,
} from './docker-runtime.js';
export { createLocalRuntime, type LocalRuntimeOptions } from './local-runtime.js';
export { createSwarmRuntime, type SwarmRuntimeOptions } from './swarm-runtime.js';
export type { ContainerListener, ExitListener, Runtime, WorkerCommand, WorkerExit } from './types.js';
export { resolveWorkerEntry } from './worker-entry.js';
