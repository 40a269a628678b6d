// The supervisor's public face: start a run, attach to one, send commands from another shell.
export { type AttachDeps, type AttachedRun, attachRun } from './attach.js';
export { describeCommand, requestCommand, sendCommandFile, writeCommand } from './command-files.js';
export type { SupervisorEvent } from './events.js';
export { type PlanOptions, planRun, type RunPlan } from './plan.js';
export { DEFAULT_RESTART_POLICY, type RestartPolicy } from './restart-policy.js';
export { type RunDeps, type RunHandle, type RunOptions, startRun } from './run.js';
export { RunFolderBusyError } from './run-lock.js';
export { RunRefusedError } from './run-refused-error.js';
export { detectCompose, type Runtime, resolveWorkerEntry } from './runtime/index.js';
