/**
 * Runs the built command line (dist/cli.js, rebuilt by `npm test` before the suite) as a
 * user would, with its own state folder so journals never leak between tests.
 */
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, tempDir } from './django.js';
import { checkJsonOutput } from './schemas.js';

const run = promisify(execFile);

export const cliPath = join(repoRoot, 'dist', 'cli.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
}

/** A fresh journal folder for one test's runs of the command line. */
export function stateDir(): string {
  return tempDir('authkit-state-');
}

export async function cli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  // The WorkOS variables of the machine running the tests must not leak into the runs.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['WORKOS_API_KEY', 'WORKOS_CLIENT_ID', 'WORKOS_BASE_URL', 'VIRTUAL_ENV']) delete env[name];
  Object.assign(env, options.env);
  try {
    const { stdout, stderr } = await run(process.execPath, [cliPath, ...args], {
      cwd: options.cwd ?? repoRoot,
      env,
      maxBuffer: 32 * 1024 * 1024,
    });
    checkJsonOutput(args, stdout);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    checkJsonOutput(args, e.stdout ?? '');
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** `git init` plus one commit of everything, so the tree starts clean. */
export function gitInit(dir: string): void {
  const git = (...args: string[]) => {
    const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  };
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'fixture');
}
