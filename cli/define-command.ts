import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { EXIT, UsageError } from './exit-codes.js';

/** A command: its yargs builder, and a handler that gets the builder's own types and returns the exit code. */
export interface CommandDefinition<U> {
  command: string | string[];
  describe: string;
  builder: (y: Argv) => Argv<U>;
  handler: (argv: ArgumentsCamelCase<U>) => Promise<number>;
}

/**
 * Turns a definition into a yargs module whose handler sets the exit code; an error becomes one
 * line on stderr, exit code 2 when it is a usage error, else 1.
 */
export function defineCommand<U>(definition: CommandDefinition<U>): CommandModule<object, U> {
  return {
    command: definition.command,
    describe: definition.describe,
    builder: definition.builder,
    handler: async (argv) => {
      try {
        process.exitCode = await definition.handler(argv);
      } catch (error) {
        process.stderr.write(`trading-workers: ${(error as Error).message}\n`);
        process.exitCode = error instanceof UsageError ? EXIT.usage : EXIT.failed;
      }
    },
  };
}
