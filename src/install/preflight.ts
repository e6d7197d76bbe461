/**
 * Checks made before a package manager runs, each of which would otherwise end in a confusing
 * error or, worse, a "successful" install that helps nobody:
 * - the tool (or the project's Python, for pip) is not there;
 * - pip would install into a Python that is not the project's (no virtualenv, and the
 *   interpreter found cannot even import Django).
 */
import type { ProjectModel } from '../discover/model.js';
import { capture } from './capture.js';
import type { InstallCommand } from './command.js';
import { findExecutable } from './find-executable.js';
import { toolName, virtualenvAdvice } from './messages.js';
import { shellCommand } from './shell-quote.js';

export interface InstallRefusal {
  status: 'tool-missing' | 'refused';
  message: string;
}

function missingToolMessage(command: InstallCommand, program: string, project: Pick<ProjectModel, 'python'>): string {
  if (command.manager === 'pip' && program === project.python.command[0]) {
    const python = shellCommand(project.python.command);
    return project.python.venv
      ? `the project's Python (${python}) was not found: the virtualenv ${project.python.venv} looks missing or broken; ` +
          'recreate it (python3 -m venv .venv), install the project into it, and run authkit-django again'
      : `the project's Python (${python}) was not found: create and activate a virtualenv for the project, ` +
          'then run authkit-django again from that shell';
  }
  const way = command.overridden
    ? `install ${program}, or pass another --package-manager`
    : `install ${program}, or pass --package-manager pip`;
  return `${command.evidence} but ${program} is not on PATH: ${way}`;
}

export async function preflightInstall(
  command: InstallCommand,
  project: Pick<ProjectModel, 'packageManager' | 'python'>,
  env: NodeJS.ProcessEnv,
): Promise<InstallRefusal | null> {
  const program = command.argv[0];
  if (!program || !findExecutable(program, env, command.cwd)) {
    return { status: 'tool-missing', message: missingToolMessage(command, program ?? '', project) };
  }

  if (command.manager === 'pip' && project.python.venv === null) {
    // Without a virtualenv, pip would install into whatever Python was found. If that Python
    // cannot import Django, the project does not run on it, and installing there helps nobody.
    const probe = await capture([...project.python.command, '-c', 'import django'], {
      cwd: command.cwd,
      env,
      timeoutMs: 60_000,
    });
    if (probe.exitCode !== 0) {
      return {
        status: 'refused',
        message:
          `no virtualenv found for this project, and ${shellCommand(project.python.command)} cannot import Django, ` +
          `so it is not the Python the project runs on; ${toolName(command)} into it would not help.\n` +
          virtualenvAdvice(project),
      };
    }
  }
  return null;
}
