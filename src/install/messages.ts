/**
 * What the user reads when an install cannot run or fails: the tool's own error, what it most
 * likely means, and the exact command to run again.
 */
import { join, relative } from 'node:path';
import type { ProjectModel } from '../discover/model.js';
import type { InstallCommand } from './command.js';
import { seconds } from './progress.js';
import type { ToolRun } from './runner.js';
import { shellCommand, shellQuote } from './shell-quote.js';

/** `uv add`, `poetry add`, `pipenv install`, `pip install`: how the tool is named in messages. */
export function toolName(command: InstallCommand): string {
  switch (command.manager) {
    case 'uv':
      return 'uv add';
    case 'poetry':
      return 'poetry add';
    case 'pipenv':
      return 'pipenv install';
    case 'pip':
      return 'pip install';
  }
}

/** The way out when there is no virtualenv to install into: make one, fill it, re-run from it. */
export function virtualenvAdvice(project: Pick<ProjectModel, 'packageManager'>): string {
  const { root, requirementsFile } = project.packageManager;
  const fill = requirementsFile
    ? `pip install -r ${shellQuote(relative(root, requirementsFile) || requirementsFile)}`
    : 'pip install django';
  return (
    'Create and activate a virtualenv for the project, then run authkit-django again from that shell:\n' +
    `  cd ${shellQuote(root)} && python3 -m venv .venv && . ${join('.venv', 'bin', 'activate')} && ${fill}`
  );
}

/**
 * The part of the tool's output that explains the failure: from the first error line among the
 * last ones (tools print their hints after the error), or simply the last lines.
 */
export function errorExcerpt(outputTail: string, maxLines = 20): string[] {
  const lines = outputTail.split('\n').filter((line) => line.trim() !== '');
  const recent = lines.slice(-40);
  const firstError = recent.findIndex((line) => /^\s*(error\b|ERROR\b|✘|fatal\b|Traceback\b)/i.test(line));
  const excerpt = firstError >= 0 ? recent.slice(firstError) : recent.slice(-15);
  return excerpt.length > maxLines ? excerpt.slice(-maxLines) : excerpt;
}

/** A likely cause recognised in the tool's output, with what to do about it. */
function diagnosis(command: InstallCommand, output: string, project: Pick<ProjectModel, 'packageManager' | 'python'>): string | null {
  if (/externally[- ]managed[- ]environment/i.test(output)) {
    return (
      `${shellCommand(project.python.command)} is a Python managed by the operating system (PEP 668), ` +
      'which refuses pip installs; the project needs a virtualenv of its own.\n' +
      virtualenvAdvice(project)
    );
  }
  if (command.manager === 'pip' && /No module named pip\b/.test(output)) {
    return (
      `The project's Python has no pip (virtualenvs made by uv have none): run ` +
      `\`${shellCommand([...project.python.command, '-m', 'ensurepip'])}\` first, ` +
      'or pass --package-manager uv if the project is managed with uv.'
    );
  }
  return null;
}

export function failureMessage(
  command: InstallCommand,
  run: ToolRun,
  project: Pick<ProjectModel, 'packageManager' | 'python'>,
  timeoutMs: number,
): string {
  const name = toolName(command);
  const parts: string[] = [];
  if (run.timedOut) {
    parts.push(`${name} did not finish within ${seconds(timeoutMs)} and was stopped.`);
  } else if (run.interrupted) {
    parts.push(`${name} was interrupted.`);
  } else if (run.spawnError) {
    parts.push(`${name} could not start: ${run.spawnError}.`);
  } else {
    const how = run.exitCode !== null ? `exit code ${run.exitCode}` : `killed by ${run.signal ?? 'a signal'}`;
    parts.push(`${name} failed (${how}).`);
  }
  const excerpt = errorExcerpt(run.outputTail);
  if (excerpt.length) parts.push(`${command.manager} said:\n${excerpt.map((line) => `  ${line}`).join('\n')}`);
  const cause = diagnosis(command, run.outputTail, project);
  if (cause) parts.push(cause);
  parts.push(`To retry, run:\n  ${command.retry}`);
  return parts.join('\n');
}
