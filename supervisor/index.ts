// The supervisor's public face: start a run, attach to one, send commands from another shell.
export { type AttachDeps, type AttachedRun, attachRun } from './attach.js';
export { describeCommand, requestCommand, sendCommandFile, writeCommand } from './command-files.js';
export type { AfterJobs } from './ensembles-step.js';
export type { SupervisorEvent } from './events.js';
export { type KubernetesOptions, kubernetesManifest, kubernetesManifestText } from './k8s-manifest.js';
export { tailLogs } from './log-tail.js';
export { pairsWithModels, resolvePairModel } from './paper-models.js';
export { type PaperPlan, type PaperPlanOptions, planPaper } from './paper-plan.js';
export { type PaperRunHandle, type PaperRunOptions, startPaperRun } from './paper-run.js';
export {
  checkPlanNumber,
  PLAN_LIMITS,
  type PlanNumber,
  type PlanOptions,
  planRun,
  type RunPlan,
} from './plan.js';
export { preflightCandles, preflightRunFolder, preflightTrain } from './preflight/preflight.js';
export { type PreflightProbes, RUNTIME_CHECKS, systemProbes } from './preflight/probes.js';
export { readRunState } from './read-run-state.js';
export { DEFAULT_RESTART_POLICY, type RestartPolicy } from './restart-policy.js';
export { type RunDeps, type RunHandle, type RunOptions, startRun } from './run.js';
export { RunFolderBusyError } from './run-lock.js';
export { RunRefusedError } from './run-refused-error.js';
export { detectCompose, type Runtime, resolveWorkerEntry } from './runtime/index.js';
export { HEADLESS_BATCH_MS, VIEW_BATCH_MS } from './store.js';
