import { InputError } from '../shared/index.js';

/**
 * The run was refused before it started: nothing was started, removed or written (the folder is
 * someone else's, or `--fresh` was asked of a folder holding no run). The CLI exits 2, as for bad input.
 */
export class RunRefusedError extends InputError {
  override name = 'RunRefusedError';
}
