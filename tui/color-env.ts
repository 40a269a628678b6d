// Imported first by tui/index.ts, before Ink loads chalk: chalk reads FORCE_COLOR once, when it loads,
// but knows nothing of NO_COLOR (https://no-color.org). So NO_COLOR becomes FORCE_COLOR=0 here; an
// explicit FORCE_COLOR wins, as it does in Node's own colour detection.
import { colorEnv } from './color-support.js';

Object.assign(process.env, colorEnv(process.env));
