/**
 * Keep the .env file (it holds the API key) out of git: add it to the repository's
 * .gitignore when git would not ignore it yet.
 */
import { spawnSync } from 'node:child_process';
import { basename, join, relative } from 'node:path';
import type { StepOutcome } from '../plan/types.js';
import { detectEol } from '../python/style.js';
import type { PlanContext } from './context.js';
import { envTarget } from './env-target.js';

/** true / false from `git check-ignore`; null when git cannot tell (not installed, not a repository). */
export function gitIgnores(repoRoot: string, file: string): boolean | null {
  const result = spawnSync('git', ['check-ignore', '-q', '--no-index', relative(repoRoot, file)], {
    cwd: repoRoot,
    stdio: 'ignore',
    timeout: 5000,
  });
  if (result.error || result.status === null) return null;
  if (result.status === 0) return true;
  if (result.status === 1) return false;
  return null;
}

export function planGitignore(ctx: PlanContext): StepOutcome[] {
  const { model } = ctx;
  if (!model.isGitRepo) return [];
  const id = 'gitignore.env';
  const envFile = envTarget(ctx).file;
  const gitignore = join(model.repoRoot, '.gitignore');
  const planned = ctx.workspace.read(gitignore);
  if (planned !== null && planned !== ctx.workspace.originalOf(gitignore)) {
    return [{ id, status: 'change', file: gitignore, summary: `add ${basename(envFile)} to ${ctx.display(gitignore)}` }];
  }
  const ignored = gitIgnores(model.repoRoot, envFile);
  if (ignored === null) {
    return [{ id, status: 'done', summary: 'could not ask git whether .env is ignored', note: 'check that .env is in .gitignore' }];
  }
  if (ignored) return [{ id, status: 'done', summary: `${ctx.display(envFile)} is ignored by git` }];
  const text = planned ?? '';
  const eol = planned === null ? '\n' : detectEol(text);
  const separator = text === '' || text.endsWith('\n') ? '' : eol;
  ctx.workspace.write(gitignore, `${text}${separator}${basename(envFile)}${eol}`);
  return [
    {
      id,
      status: planned === null ? 'create' : 'change',
      file: gitignore,
      summary: `add ${basename(envFile)} to ${ctx.display(gitignore)} (it will hold your API key)`,
    },
  ];
}

/** true when git tracks `file` (it is in the index); false when not or when git cannot tell. */
export function gitTracks(repoRoot: string, file: string): boolean {
  const result = spawnSync('git', ['ls-files', '--error-unmatch', '--', relative(repoRoot, file)], {
    cwd: repoRoot,
    stdio: 'ignore',
    timeout: 5000,
  });
  return !result.error && result.status === 0;
}
