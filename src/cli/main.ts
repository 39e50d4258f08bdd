// The corridor command: run nodes, and drive a network from a terminal.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { registerClientCommands } from './client-commands.js';
import { registerIsoCommands } from './iso-commands.js';
import { CliError, EXIT } from './output.js';
import { registerServerCommands } from './server-commands.js';
import { registerSimulateCommand } from './simulate-command.js';
import { registerVerifyCommand } from './verify-command.js';

export function buildProgram(): Command {
  const program = new Command('corridor')
    .description('Corridor: cross-border payments in local currencies, settled payment-versus-payment.')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerServerCommands(program);
  registerClientCommands(program);
  registerIsoCommands(program);
  registerVerifyCommand(program);
  registerSimulateCommand(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      return;
    }
    const exitCode = error instanceof CliError ? error.exitCode : EXIT.usage;
    // A ConfigError (node settings) is matched by name: importing its module would load the
    // schema compiler for every command, and client commands must start quickly.
    const plain = error instanceof CliError || (error instanceof Error && error.name === 'ConfigError');
    const message = plain ? (error as Error).message
      : `Unexpected error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`;
    process.stderr.write(`corridor: ${message}\n`);
    process.exitCode = exitCode;
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await main(process.argv);
}
