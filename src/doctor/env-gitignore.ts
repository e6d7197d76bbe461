/** `env-gitignore`: git ignores the .env file (it holds the API key) and does not track it. */
import { relative } from 'node:path';
import { gitIgnores } from '../integrate/gitignore.js';
import { isTracked } from './git.js';
import type { DoctorCheck } from './types.js';

export const envGitignoreCheck: DoctorCheck = {
  id: 'env-gitignore',
  family: 'env',
  run: async (ctx) => {
    const { model } = ctx;
    if (!model.isGitRepo) return { status: 'skip', message: 'the project is not in a git repository' };
    if (!model.env.exists) return { status: 'skip', message: 'there is no .env file' };
    const rel = relative(model.repoRoot, model.env.file).split('\\').join('/');
    const shown = ctx.display(model.env.file);
    if (await isTracked(model.repoRoot, rel, ctx.env)) {
      return {
        status: 'fail',
        message: `${shown} is tracked by git: its keys are in the repository for everyone who clones it`,
        file: model.env.file,
        fix: `git rm --cached ${rel}, add .env to .gitignore, commit, and rotate the API key in the WorkOS dashboard`,
      };
    }
    const ignored = gitIgnores(model.repoRoot, model.env.file);
    if (ignored === null) return { status: 'skip', message: 'git could not tell whether .env is ignored' };
    if (ignored) return { status: 'pass', message: `${shown} is ignored by git` };
    return {
      status: 'fail',
      message: `${shown} is not in .gitignore: the next \`git add .\` commits the API key`,
      file: model.env.file,
      fix: 'add .env to .gitignore',
      repair: 'gitignore',
    };
  },
};
