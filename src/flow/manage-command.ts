/**
 * One `python manage.py <command>` in the project's interpreter (dev --migrate uses it
 * for `migrate`), tracked like runserver so Ctrl+C stops it too.
 */
import { isAbsolute, resolve } from 'node:path';
import { spawnManaged, type ExitInfo } from './child-process.js';
import type { RunserverProject } from './runserver.js';

export interface ManageRun {
  exit: ExitInfo;
  output: string;
}

export async function runManageCommand(
  project: RunserverProject,
  args: string[],
  env: NodeJS.ProcessEnv,
  onOutput?: (text: string) => void,
): Promise<ManageRun> {
  const [given, ...prefix] = project.python.command;
  const program = given && given.includes('/') && !isAbsolute(given) ? resolve(project.projectRoot, given) : given ?? 'python3';
  const child = spawnManaged(program, [...prefix, project.managePy, ...args], {
    cwd: project.projectRoot,
    env,
    name: `manage.py ${args[0] ?? ''}`.trim(),
  });
  if (onOutput) child.onOutput(onOutput);
  const exit = await child.exited;
  await child.stop();
  return { exit, output: child.output() };
}
