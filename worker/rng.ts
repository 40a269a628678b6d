// The generator lives in shared/ so the statistics (shared/statistics/) draw from the same algorithm.
export { Rng } from '../shared/index.js';
