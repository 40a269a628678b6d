export * from './atomic-json.js';
export * from './contract.js';
export * from './dashboard-state.js';
export * from './hyperparameters.js';
export * from './pairs.js';
export * from './paths.js';
export * from './seeds.js';
export * from './selection.js';
