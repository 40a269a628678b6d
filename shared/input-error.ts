/**
 * Bad input the user can fix (a flag, a pair, a folder, the state of a results folder): every command
 * prints its message as one line and exits 2, before anything is started or written.
 */
export class InputError extends Error {
  override name = 'InputError';
}
