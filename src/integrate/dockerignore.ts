/**
 * Keep the .env file out of container images: when a Dockerfile copies its whole build
 * context (`COPY . .`, `ADD . /app`) and the context's .dockerignore does not exclude the
 * file holding the API key, add it there (creating .dockerignore when missing), as the
 * .gitignore step does for git. The build context is taken to be the Dockerfile's folder.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { StepOutcome } from '../plan/types.js';
import { detectEol } from '../python/style.js';
import type { PlanContext } from './context.js';
import { envTarget } from './env-target.js';

/** `COPY . .`, `COPY --chown=app . /app`, `ADD . /srv`: the instruction copies the whole context. */
export function copiesWholeContext(dockerfile: string): boolean {
  const joined = dockerfile.replace(/\\\r?\n/g, ' ');
  return joined.split(/\r?\n/).some((line) => {
    const m = /^\s*(COPY|ADD)\s+(.*)$/i.exec(line);
    if (!m) return false;
    const args = m[2]!.trim().split(/\s+/).filter((a) => !a.startsWith('--'));
    // Every argument but the last is a source; `.` or `./` is the whole context.
    return args.slice(0, -1).some((src) => src === '.' || src === './');
  });
}

function patternRegex(pattern: string): RegExp {
  let p = pattern.trim().replace(/^\/+/, '').replace(/\/+$/, '');
  if (p.startsWith('./')) p = p.slice(2);
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const ch = p[i]!;
    if (ch === '*' && p[i + 1] === '*') {
      out += '.*';
      i++;
      if (p[i + 1] === '/') i++;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A pattern naming a folder excludes what is inside it too.
  return new RegExp(`^${out}(/.*)?$`);
}

/** Whether .dockerignore text excludes `path` (relative, `/`-separated): the last matching line wins. */
export function dockerIgnores(text: string, path: string): boolean {
  let ignored = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    if (patternRegex(negated ? line.slice(1) : line).test(path)) ignored = !negated;
  }
  return ignored;
}

/** Dockerfiles at the repository root, the project root and the folders between. */
function dockerfiles(ctx: PlanContext): string[] {
  const out: string[] = [];
  for (let dir = ctx.model.projectRoot; ; dir = dirname(dir)) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      names = [];
    }
    for (const name of names.sort()) if (/^Dockerfile(\..+)?$|\.Dockerfile$/i.test(name)) out.push(join(dir, name));
    if (dir === ctx.model.repoRoot || dirname(dir) === dir || !dir.startsWith(ctx.model.repoRoot)) break;
  }
  return out;
}

export function planDockerignore(ctx: PlanContext): StepOutcome[] {
  const envFile = envTarget(ctx).file;
  const outcomes: StepOutcome[] = [];
  const contexts = new Set<string>();
  for (const file of dockerfiles(ctx)) {
    const text = ctx.workspace.read(file);
    if (text === null || !copiesWholeContext(text)) continue;
    const contextDir = dirname(file);
    if (contexts.has(contextDir)) continue;
    contexts.add(contextDir);
    const rel = relative(contextDir, envFile).split(sep).join('/');
    if (rel.startsWith('..')) continue; // the .env is outside this build context: never copied
    const ignoreFile = join(contextDir, '.dockerignore');
    const planned = ctx.workspace.read(ignoreFile);
    const id = 'dockerignore.env';
    if (planned !== null && dockerIgnores(planned, rel)) {
      outcomes.push({ id, status: 'done', file: ignoreFile, summary: `${ctx.display(ignoreFile)} keeps ${rel} out of the image` });
      continue;
    }
    const body = planned ?? '';
    const eol = planned === null ? '\n' : detectEol(body);
    const separator = body === '' || body.endsWith('\n') ? '' : eol;
    ctx.workspace.write(ignoreFile, `${body}${separator}${rel}${eol}`);
    outcomes.push({
      id,
      status: planned === null && !existsSync(ignoreFile) ? 'create' : 'change',
      file: ignoreFile,
      summary: `add ${rel} to ${ctx.display(ignoreFile)} (${ctx.display(file)} copies the whole folder into the image)`,
    });
  }
  return outcomes;
}
