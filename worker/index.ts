// The worker's public face for the command line (the worker process itself starts at main.ts).
export { candleAvailability } from './market-data/index.js';
export { runTrainPairCommand, type TrainPairOptions } from './train-pair-command.js';
