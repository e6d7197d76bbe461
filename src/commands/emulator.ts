/**
 * `authkit-django emulator`: WorkOS's emulator alone, on a local port, seeded with one
 * test user, for running your own tests (or another tool) against a local WorkOS. The
 * same emulator `dev` and `verify --flow` use. Runs until Ctrl+C or SIGTERM; with
 * `--json`, also until its stdin closes, so a test harness that started it cannot leave
 * it behind.
 */
import { stopAll, watchSignals } from '../flow/cleanup.js';
import { loadEmulator } from '../flow/emulator-loader.js';
import { DEFAULT_TEST_USER, startEmulator } from '../flow/emulator.js';
import { readSeedFile, type EmulatorSeed } from '../flow/emulator-seed.js';
import { tokenTtlLine } from '../flow/token-resign.js';
import { parsePort } from '../flow/ports.js';
import type { CommandArgs } from '../main.js';
import { EXIT, UsageError, UserError } from '../util/errors.js';
import { palette, writeLine, type Io } from '../util/output.js';
import { stringOption, tokenTtlOption } from './options.js';
import { writeJsonReport } from '../util/json-report.js';

export async function runEmulator(args: CommandArgs, io: Io): Promise<number> {
  const json = args.values.json === true;
  const portText = stringOption(args.values.port);
  const port = portText === undefined ? 0 : parsePort(portText);
  if (port === null) throw new UsageError(`--port must be a port number from 1 to 65535; got "${portText}"`);
  const email = stringOption(args.values.email) ?? DEFAULT_TEST_USER.email;
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError(`--email must be an email address; got "${email}"`);
  const tokenTtl = tokenTtlOption(args);
  const seedPath = stringOption(args.values.seed);
  let seed: EmulatorSeed | undefined;
  if (seedPath !== undefined) {
    try {
      seed = readSeedFile(seedPath);
    } catch (error) {
      throw new UsageError(`--seed: ${(error as Error).message}`);
    }
  }

  const loaded = await loadEmulator({ env: io.env });
  const signals = watchSignals();
  let running;
  try {
    running = await startEmulator(loaded, { port, user: { ...DEFAULT_TEST_USER, email }, tokenTtl, ...(seed ? { seed } : {}) });
  } catch (error) {
    signals.dispose();
    throw new UserError((error as Error).message);
  }
  const info = {
    url: running.url,
    apiKey: running.apiKey,
    clientId: running.clientId,
    port: running.port,
    email: running.user.email,
    ...(running.tokenTtl === undefined ? {} : { tokenTtl: running.tokenTtl }),
  };
  if (json) {
    writeJsonReport(io, 'emulator', info, 0);
  } else {
    const p = palette(io.color);
    writeLine(io.stdout, `${p.bold("WorkOS's emulator")} (workos ${running.version}) at ${p.cyan(running.url)}`);
    writeLine(io.stdout, `  WORKOS_BASE_URL=${running.url}`);
    writeLine(io.stdout, `  WORKOS_API_KEY=${running.apiKey}   ${p.dim("(the emulator's fixed test key, not a WorkOS secret)")}`);
    writeLine(io.stdout, `  WORKOS_CLIENT_ID=${running.clientId}`);
    writeLine(io.stdout, `  signs in ${running.user.email} without a password`);
    if (running.tokenTtl !== undefined) writeLine(io.stdout, `  ${tokenTtlLine(running.tokenTtl, running.url, running.clientId)}`);
    writeLine(io.stdout, p.dim('Press Ctrl+C to stop.'));
  }
  const stdinClosed = new Promise<void>((resolve) => {
    if (!json) return;
    io.stdin.on('end', () => resolve());
    io.stdin.on('close', () => resolve());
    io.stdin.resume();
  });
  await Promise.race([signals.received, stdinClosed]);
  // A paused stdin no longer holds the process open.
  if (json) io.stdin.pause();
  await running.stop();
  await stopAll();
  signals.dispose();
  return EXIT.ok;
}
