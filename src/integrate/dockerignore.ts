/**
 * Keep the .env file out of container images: when a Dockerfile copies its whole build
 * context (`COPY . .`, `ADD . /app`) and the context's .dockerignore does not exclude the
 * file holding the API key, add it there (creating .dockerignore when missing), as the
 * .gitignore step does for git. Which context a Dockerfile builds: see `dockerfiles`.
 */
import { existsSync, readdirSync, type Dirent } from 'node:fs';
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

const DOCKERFILE = /^Dockerfile(\..+)?$|\.Dockerfile$/i;
// Folders no Dockerfile of the project's own lives in, and that can be huge.
const SKIPPED = new Set(['node_modules', 'venv', 'env', '__pycache__', 'site-packages', 'dist', 'build']);
const MAX_DEPTH = 4;

/**
 * The project's Dockerfiles, each with the build context it is taken to use. One in the
 * repository root, the project root or a folder between builds that folder (`docker build .`
 * there). One elsewhere (`docker/production.Dockerfile`, `compose/django/Dockerfile`) is
 * built with `-f` from the repository root, as compose files and CI jobs do: its context is
 * taken to be the root. Searched to a small depth, skipping hidden and dependency folders.
 */
function dockerfiles(ctx: PlanContext): { file: string; context: string }[] {
  const ancestors = new Set<string>();
  for (let dir = ctx.model.projectRoot; ; dir = dirname(dir)) {
    ancestors.add(dir);
    if (dir === ctx.model.repoRoot || dirname(dir) === dir || !dir.startsWith(ctx.model.repoRoot)) break;
  }
  const out: { file: string; context: string }[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: Dirent[] = [];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, entry.name);
      if (entry.isFile() && DOCKERFILE.test(entry.name)) out.push({ file: path, context: ancestors.has(dir) ? dir : ctx.model.repoRoot });
      else if (entry.isDirectory() && depth < MAX_DEPTH && !entry.name.startsWith('.') && !SKIPPED.has(entry.name)) walk(path, depth + 1);
    }
  };
  walk(ctx.model.repoRoot, 0);
  return out;
}

const PYTHON_IMAGE = /manage\.py|requirements|pip3? install|uv (sync|pip)|poetry install|pipenv|gunicorn|uvicorn|django/i;

function isAncestorContext(ctx: PlanContext, file: string, context: string): boolean {
  return dirname(file) === context && (context === ctx.model.repoRoot || ctx.model.projectRoot.startsWith(context));
}

export function planDockerignore(ctx: PlanContext): StepOutcome[] {
  const envFile = envTarget(ctx).file;
  const outcomes: StepOutcome[] = [];
  const contexts = new Set<string>();
  for (const { file, context: contextDir } of dockerfiles(ctx)) {
    const text = ctx.workspace.read(file);
    if (text === null || !copiesWholeContext(text)) continue;
    // Away from the project's folders, only a Dockerfile that builds the Python side counts (not a frontend's).
    if (!isAncestorContext(ctx, file, contextDir) && !PYTHON_IMAGE.test(text)) continue;
    const rel = relative(contextDir, envFile).split(sep).join('/');
    if (rel.startsWith('..')) continue; // the .env is outside this build context: never copied
    // BuildKit reads `<Dockerfile>.dockerignore` beside the Dockerfile instead of the context's, when there is one.
    const own = `${file}.dockerignore`;
    const ignoreFile = ctx.workspace.read(own) !== null ? own : join(contextDir, '.dockerignore');
    if (contexts.has(ignoreFile)) continue;
    contexts.add(ignoreFile);
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
