export {
  type ComposeCommand,
  composeProjectName,
  createDockerRuntime,
  type DockerRuntimeOptions,
  defaultComposeFile,
  detectCompose,
  parseComposePs,
} from './docker-runtime.js';
export { createLocalRuntime, type LocalRuntimeOptions } from './local-runtime.js';
export type { ExitListener, Runtime, WorkerCommand, WorkerExit } from './types.js';
export { resolveWorkerEntry } from './worker-entry.js';
