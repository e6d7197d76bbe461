/**
 * Getting WorkOS's emulator when it is missing: into authkit-django's cache folder (never
 * the project's), with npm's own progress on stderr, after consent: a question at a
 * terminal, `--yes` agreeing. It is found there the next time.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Io } from '../util/output.js';
import { writeLine } from '../util/output.js';
import { canPrompt, confirm } from '../util/prompt.js';
import { EMULATOR_PACKAGE, EmulatorUnavailable, emulatorCacheDir, loadEmulator, testedEmulatorVersion, type EmulatorSearch, type LoadedEmulator } from './emulator-loader.js';

export interface EmulatorConsent {
  io: Io;
  /** --yes: install without asking. */
  yes: boolean;
  /** --json: never ask (stdout carries the report). */
  json: boolean;
}

/** `npm install --prefix <cache> workos@<tested>`; resolves to npm's exit code. */
export function installEmulatorIntoCache(env: NodeJS.ProcessEnv, stderr: NodeJS.WritableStream): Promise<number> {
  const dir = emulatorCacheDir(env);
  mkdirSync(dir, { recursive: true });
  // A package.json of its own, so npm installs here and not in a folder above.
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{"name": "authkit-django-emulator", "private": true}\n');
  const spec = `${EMULATOR_PACKAGE}@${testedEmulatorVersion()}`;
  return new Promise((resolve) => {
    const child = spawn('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--progress=true', spec], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // npm's own progress and errors, on stderr: stdout may carry a JSON report.
    child.stdout.on('data', (chunk: Buffer) => stderr.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.write(chunk));
    child.on('error', () => resolve(127));
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** The emulator, installed into the cache first when it is missing and the user agrees. */
export async function loadOrInstallEmulator(search: EmulatorSearch, consent: EmulatorConsent): Promise<LoadedEmulator> {
  try {
    return await loadEmulator(search);
  } catch (error) {
    if (!(error instanceof EmulatorUnavailable) || /needs Node/.test(error.message)) throw error;
    const { io } = consent;
    const env = search.env ?? io.env;
    const spec = `${EMULATOR_PACKAGE}@${testedEmulatorVersion()}`;
    const where = emulatorCacheDir(env);
    let agreed = consent.yes;
    if (!agreed && !consent.json && canPrompt(io)) {
      writeLine(io.stderr, "WorkOS's emulator is not installed.");
      agreed = await confirm(io, `Install it (npm ${spec}, about 320 MB) into ${where}?`, true);
    }
    if (!agreed) throw error;
    writeLine(io.stderr, `Installing WorkOS's emulator (npm ${spec}) into ${where} ...`);
    const code = await installEmulatorIntoCache(env, io.stderr);
    if (code !== 0) throw new EmulatorUnavailable(`installing ${spec} into ${where} failed (npm exit code ${code}); npm's output is above`, error.hint);
    return loadEmulator(search);
  }
}
