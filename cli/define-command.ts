import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { exitCodeOf } from './exit-codes.js';

/** A command: its yargs builder, and a handler that gets the builder's own types and returns the exit code. */
export interface CommandDefinition<U> {
  command: string | string[];
  describe: string;
  builder: (y: Argv) => Argv<U>;
  /** Shown under "Examples:" in the command's --help: the command line, and what it does. */
  examples: readonly (readonly [command: string, description: string])[];
  handler: (argv: ArgumentsCamelCase<U>) => Promise<number>;
}

/**
 * Turns a definition into a yargs module whose handler sets the exit code; an error becomes one
 * line on stderr, exit code 2 when it is bad input (an InputError), else 1.
 */
export function defineCommand<U>(definition: CommandDefinition<U>): CommandModule<object, U> {
  return {
    command: definition.command,
    describe: definition.describe,
    builder: (y) => {
      let built = definition.builder(y);
      for (const [command, description] of definition.examples) built = built.example(command, description);
      return built;
    },
    handler: async (argv) => {
      try {
        process.exitCode = await definition.handler(argv);
      } catch (error) {
        process.stderr.write(`trading-workers: ${(error as Error).message}\n`);
        process.exitCode = exitCodeOf(error);
      }
    },
  };
}
