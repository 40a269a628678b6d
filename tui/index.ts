// The public face of tui/: the Ink dashboard, its key map, and formatting shared by every view.
// First, before anything loads Ink (and chalk): NO_COLOR is honoured.
import './color-env.js';

export { colorEnv, wantsColor } from './color-support.js';
export * from './format.js';
export * from './headless/index.js';
export * from './http/index.js';
export { DashboardApp, type DashboardAppProps } from './ink/app.js';
export {
  type DashboardHandle,
  type RenderDashboardOptions,
  renderDashboard,
} from './ink/render-dashboard.js';
export type { TerminalSize } from './ink/use-terminal-size.js';
export {
  type Command,
  commandForKey,
  KEY_BINDINGS,
  type KeyBinding,
  type KeyPress,
  keymapMarkdown,
} from './keymap.js';
export * from './paper-view.js';
export * from './trial-columns.js';
