/**
 * `secrets-in-git`: a WorkOS API key (sk_live_... / sk_test_...) in a file git tracks, or
 * anywhere in the repository's history. Reported by file, line and commit; the key itself
 * is never printed, only its prefix. A warning: doctor never rewrites history.
 */
import { join } from 'node:path';
import { maskApiKey } from '../util/secrets.js';
import { git } from './git.js';
import type { DoctorCheck } from './types.js';

/** Long enough to skip placeholders like `sk_test_1234` in documentation. */
const KEY_PATTERN = 'sk_(live|test)_[A-Za-z0-9]{16,}';
const KEY_REGEX = /sk_(?:live|test)_[A-Za-z0-9]{16,}/g;
const MAX_COMMITS = 5;

interface Hit {
  path: string;
  line: number;
  keys: string[];
}

/** `git grep -z -n` output: `[rev:]path\0line\0text` per line. */
function parseGrep(stdout: string, rev: string | null): Hit[] {
  const hits: Hit[] = [];
  for (const record of stdout.split('\n')) {
    const [rawPath, line, text] = record.split('\0');
    if (!rawPath || !line || text === undefined) continue;
    const path = rev && rawPath.startsWith(`${rev}:`) ? rawPath.slice(rev.length + 1) : rawPath;
    hits.push({ path, line: Number(line), keys: text.match(KEY_REGEX) ?? [] });
  }
  return hits;
}

async function grep(repoRoot: string, env: NodeJS.ProcessEnv, rev: string | null): Promise<Hit[] | null> {
  const run = await git(['grep', '-I', '-z', '-n', '-E', KEY_PATTERN, ...(rev ? [rev] : []), '--'], repoRoot, env);
  if (run.spawnError || run.timedOut) return null;
  // Exit 1: no match.
  return run.exitCode === 0 ? parseGrep(run.stdout, rev) : [];
}

export const secretsInGitCheck: DoctorCheck = {
  id: 'secrets-in-git',
  family: 'env',
  run: async (ctx) => {
    const { model } = ctx;
    if (!model.isGitRepo) return { status: 'skip', message: 'the project is not in a git repository' };
    const repo = model.repoRoot;
    const [tracked, log] = await Promise.all([
      grep(repo, ctx.env, null),
      git(['log', '--all', `-G${KEY_PATTERN}`, '--format=%h', '-n', '50'], repo, ctx.env),
    ]);
    const commits = log.exitCode === 0 ? log.stdout.split('\n').filter(Boolean) : [];
    const history: string[] = [];
    for (const commit of commits.slice(0, MAX_COMMITS)) {
      const inCommit = (await grep(repo, ctx.env, commit)) ?? [];
      const paths = [...new Set(inCommit.map((h) => h.path))];
      history.push(paths.length > 0 ? `${commit} (${paths.join(', ')})` : `${commit} (removed there; still in the commit before)`);
    }
    if (commits.length > MAX_COMMITS) history.push(`${commits.length - MAX_COMMITS} more commits`);
    const trackedHits = tracked ?? [];
    if (trackedHits.length === 0 && history.length === 0) {
      if (tracked === null || log.timedOut) return { status: 'skip', message: 'git did not answer in time; the repository was not searched' };
      return { status: 'pass', message: 'no WorkOS API key in the files git tracks or in its history' };
    }
    const kinds = [...new Set(trackedHits.flatMap((h) => h.keys).map(maskApiKey))];
    const inUse = ctx.environmentValue('WORKOS_API_KEY')?.value;
    const usedKeyCommitted = !!inUse && trackedHits.some((h) => h.keys.includes(inUse));
    const parts: string[] = [];
    if (trackedHits.length > 0) parts.push(`in ${trackedHits.map((h) => `${h.path}:${h.line}`).join(', ')}`);
    if (history.length > 0) parts.push(`in the history: commit ${history.join(', ')}`);
    const first = trackedHits[0];
    return {
      status: 'warn',
      message:
        `a WorkOS API key${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''} is committed ${parts.join('; ')}` +
        (usedKeyCommitted ? ': it is the key the project uses' : '') +
        '. Anyone with the repository has it',
      ...(first ? { file: join(repo, first.path), line: first.line } : {}),
      fix: 'rotate the key in the WorkOS dashboard, move it to .env, and remove it from the file; removing it from history is your call (git filter-repo)',
    };
  },
};
