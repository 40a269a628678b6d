// The public face of tui/: the Ink dashboard, its key map, and formatting shared by every view.
// First, before anything loads Ink (and chalk): NO_COLOR is honoured.
import './color-env.js';

import type { DashboardHandle, RenderDashboardOptions } from './ink/render-dashboard.js';

export { colorEnv, wantsColor } from './color-support.js';
export * from './format.js';
export * from './headless/index.js';
export * from './http/index.js';
export type { DashboardAppProps } from './ink/app.js';
export type { DashboardHandle, RenderDashboardOptions } from './ink/render-dashboard.js';
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

/**
 * The full-screen dashboard (tui/ink/render-dashboard.tsx). Loaded on first use: Ink, React and Yoga are
 * about 9 MB of heap and half a second of loading that a headless run, `status` or `logs` should not pay,
 * and a supervisor's heap is what each of its garbage collections walks.
 */
export async function renderDashboard(options: RenderDashboardOptions): Promise<DashboardHandle> {
  const { renderDashboard: render } = await import('./ink/render-dashboard.js');
  return render(options);
}
