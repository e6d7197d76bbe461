#!/usr/bin/env node
/** The `authkit-django` binary: run `main`, turn errors into one clear message and an exit code. */
import { main } from './main.js';
import { EXIT, UserError } from './util/errors.js';
import { processIo, writeLine } from './util/output.js';

async function entry(): Promise<void> {
  const io = processIo();
  let code: number;
  try {
    code = await main(process.argv.slice(2), io);
  } catch (error) {
    if (error instanceof UserError) {
      writeLine(io.stderr, `authkit-django: ${error.message}`);
      if (error.hint) writeLine(io.stderr, error.hint);
      code = error.exitCode;
    } else {
      writeLine(io.stderr, `authkit-django: internal error: ${(error as Error)?.stack ?? String(error)}`);
      writeLine(io.stderr, 'This is a bug in authkit-django; nothing was written unless the output above says so.');
      code = EXIT.error;
    }
  }
  process.exitCode = code;
}

await entry();
