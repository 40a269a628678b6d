// The headless view: plain lines for CI, pipes and `--headless`, over the same store as the dashboard.
export {
  formatSummary,
  type HeadlessReporter,
  type HeadlessReporterOptions,
  type SummaryOptions,
  startHeadlessReporter,
} from './headless-reporter.js';
export { formatCpu, formatMemory, formatStatus, statusJson } from './status-table.js';
