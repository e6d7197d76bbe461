#!/usr/bin/env node
/** The `authkit-django` binary: run `main`, turn errors into one clear message and an exit code. */
import { commandOf, main } from './main.js';
import { jsonReportWritten, writeJsonReport } from './util/json-report.js';
import { EXIT, UserError } from './util/errors.js';
import { processIo, writeLine } from './util/output.js';
import { markPhase } from './util/phase-times.js';

async function entry(): Promise<void> {
  markPhase('node start and cli load');
  const io = processIo();
  const argv = process.argv.slice(2);
  let code: number;
  try {
    code = await main(argv, io);
  } catch (error) {
    if (error instanceof UserError) {
      writeLine(io.stderr, `authkit-django: ${error.message}`);
      if (error.hint) writeLine(io.stderr, error.hint);
      code = error.exitCode;
      // With --json, a program reads stdout: it gets the error as the one report.
      if (argv.includes('--json') && !jsonReportWritten()) {
        writeJsonReport(io, commandOf(argv), { error: { message: error.message, hint: error.hint ?? null }, exitCode: code });
      }
    } else {
      writeLine(io.stderr, `authkit-django: internal error: ${(error as Error)?.stack ?? String(error)}`);
      writeLine(io.stderr, 'This is a bug in authkit-django; nothing was written unless the output above says so.');
      code = EXIT.error;
    }
  }
  process.exitCode = code;
}

await entry();
