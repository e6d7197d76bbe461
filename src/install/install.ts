/**
 * Installs the packages with the project's package manager: checks first, runs the tool with
 * progress, and turns every outcome into a result the caller reports (a failed install keeps
 * the code changes; it never throws).
 */
import type { PackageManagerName, ProjectModel } from '../discover/model.js';
import type { InstallCommand } from './command.js';
import { failureMessage } from './messages.js';
import { preflightInstall } from './preflight.js';
import type { ProgressStream } from './progress.js';
import { runTool } from './runner.js';
import { toolEnvironment } from './tool-env.js';

export type InstallStatus = 'installed' | 'failed' | 'timed-out' | 'interrupted' | 'tool-missing' | 'refused';

export interface InstallResult {
  ok: boolean;
  status: InstallStatus;
  manager: PackageManagerName;
  /** The command, as a line to paste into a shell. */
  command: string;
  /** The tool's exit code; null when it did not run or was killed. */
  exitCode: number | null;
  durationMs: number;
  /** The last lines the tool printed. */
  outputTail: string;
  /** On failure: the tool's own error, the likely cause, and how to retry. */
  message: string | null;
}

export interface InstallOptions {
  /** Where progress goes: the command's stderr. */
  stderr: ProgressStream;
  /** The environment the tool runs in; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to 10 minutes: a cold pipenv lock on a big project is slow, but it ends. */
  timeoutMs?: number;
}

export const DEFAULT_INSTALL_TIMEOUT_MS = 10 * 60 * 1000;

export async function installPackages(
  command: InstallCommand,
  project: Pick<ProjectModel, 'packageManager' | 'python'>,
  options: InstallOptions,
): Promise<InstallResult> {
  const env = toolEnvironment(options.env ?? process.env);
  const timeoutMs = options.timeoutMs ?? DEFAULT_INSTALL_TIMEOUT_MS;
  const base = { manager: command.manager, command: command.retry };

  const refusal = await preflightInstall(command, project, env);
  if (refusal) {
    return { ...base, ok: false, status: refusal.status, exitCode: null, durationMs: 0, outputTail: '', message: refusal.message };
  }

  const run = await runTool(command.argv, {
    cwd: command.cwd,
    env,
    progressStream: options.stderr,
    label: `${command.argv.includes('--no-sync') || command.argv.includes('--lock') ? 'declaring' : 'installing'} ${listNames(command.packages)} with ${command.manager}`,
    timeoutMs,
  });
  const ok = run.exitCode === 0 && !run.timedOut && !run.interrupted && run.spawnError === null;
  const status: InstallStatus = ok
    ? 'installed'
    : run.timedOut
      ? 'timed-out'
      : run.interrupted
        ? 'interrupted'
        : 'failed';
  return {
    ...base,
    ok,
    status,
    exitCode: run.exitCode,
    durationMs: run.durationMs,
    outputTail: run.outputTail,
    message: ok ? null : failureMessage(command, run, project, timeoutMs),
  };
}

/** `workos>=5.13.0,<11`, `pyjwt>=2.0,<3` -> `workos and pyjwt` (names only, for the progress line). */
function listNames(specs: readonly string[]): string {
  const names = specs.map((spec) => /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(spec)?.[0] ?? spec);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
