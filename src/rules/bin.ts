#!/usr/bin/env node
/** The `promkit` executable (`npx promkit rules ...`): see `command.ts`. */
import { runCommand, UsageError } from './command.js';

let code = 0;
try {
  process.stdout.write(await runCommand(process.argv.slice(2)));
} catch (error) {
  process.stderr.write(`promkit: ${error instanceof Error ? error.message : String(error)}\n`);
  code = error instanceof UsageError ? 2 : 1;
}
// The loaded modules may have opened handles (timers, sockets): exit once stdout is out.
process.stdout.write('', () => process.exit(code));
