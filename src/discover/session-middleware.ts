/**
 * Is a MIDDLEWARE entry Django's SessionMiddleware? Either its own dotted path, or a
 * class the project defines that subclasses it (directly, or through other project
 * classes): the module is resolved to a file and the class's bases are read.
 */
import { execFile } from 'node:child_process';
import { findAssignments, findImports, sequenceLiteral, stringLiteralValue } from '../python/locate.js';
import type { PythonInfo } from './model.js';
import type { Node, Tree } from '../python/parser.js';
import { resolveImport, resolveModule } from './python-modules.js';
import type { SourceCache } from './source-cache.js';

export const SESSION_MIDDLEWARE = 'django.contrib.sessions.middleware.SessionMiddleware';
const SESSION_MODULE = 'django.contrib.sessions.middleware';

export function isSessionMiddleware(cache: SourceCache, dotted: string, roots: string[]): boolean {
  if (dotted === SESSION_MIDDLEWARE) return true;
  const at = dotted.lastIndexOf('.');
  if (at <= 0) return false;
  const file = resolveModule(cache, dotted.slice(0, at), roots);
  return file !== null && classExtendsSessionMiddleware(cache, file, dotted.slice(at + 1), roots, new Set());
}

function classExtendsSessionMiddleware(
  cache: SourceCache,
  file: string,
  className: string,
  roots: string[],
  seen: Set<string>,
): boolean {
  const key = `${file}:${className}`;
  if (seen.has(key) || seen.size > 20) return false;
  seen.add(key);
  const tree = cache.tree(file);
  if (!tree) return false;
  const cls = moduleClass(tree, className);
  if (!cls) {
    // Re-exported: `from .sessions import MySessionMiddleware` in the module named.
    const origin = importedFrom(tree, className);
    if (origin?.module === SESSION_MODULE) return origin.name === 'SessionMiddleware';
    const next = origin ? resolveImport(cache, file, origin.module, roots) : null;
    return next !== null && classExtendsSessionMiddleware(cache, next, origin!.name, roots, seen);
  }
  const bases = cls.childForFieldName('superclasses')?.namedChildren ?? [];
  for (const base of bases) {
    if (!base || base.type === 'keyword_argument' || base.type === 'comment') continue;
    const text = base.text.replace(/\s+/g, '');
    if (text === SESSION_MIDDLEWARE) return true;
    if (base.type === 'attribute') {
      // `middleware.SessionMiddleware` after `from django.contrib.sessions import middleware`.
      const [head, ...rest] = text.split('.');
      const origin = importedFrom(tree, head!);
      if (origin && `${origin.module}.${origin.name}.${rest.join('.')}` === SESSION_MIDDLEWARE) return true;
      continue;
    }
    if (base.type !== 'identifier') continue;
    if (moduleClass(tree, text) && classExtendsSessionMiddleware(cache, file, text, roots, seen)) return true;
    const origin = importedFrom(tree, text);
    if (!origin) continue;
    if (origin.module === SESSION_MODULE && origin.name === 'SessionMiddleware') return true;
    const next = resolveImport(cache, file, origin.module, roots);
    if (next && classExtendsSessionMiddleware(cache, next, origin.name, roots, seen)) return true;
  }
  return false;
}

function moduleClass(tree: Tree, name: string): Node | null {
  for (const child of tree.rootNode.namedChildren) {
    const node = child?.type === 'decorated_definition' ? child.childForFieldName('definition') : child;
    if (node?.type === 'class_definition' && node.childForFieldName('name')?.text === name) return node;
  }
  return null;
}

/** `from M import N as local`: the module and original name bound to `local`. */
function importedFrom(tree: Tree, local: string): { module: string; name: string } | null {
  for (const imp of findImports(tree)) {
    if (imp.from === null) continue;
    for (const n of imp.names) if ((n.alias ?? n.name) === local) return { module: imp.from, name: n.name };
  }
  return null;
}

/**
 * Every string in a MIDDLEWARE / MIDDLEWARE_CLASSES sequence literal anywhere in the chain,
 * including the literal parts of a rebuild such as `(*MIDDLEWARE[:i], "x", *MIDDLEWARE[i:])`
 * inside an `if`: what the list may hold when static evaluation gives up on its final value.
 */
export function middlewareLiterals(cache: SourceCache, files: string[]): string[] {
  const out = new Set<string>();
  for (const file of files) {
    const tree = cache.tree(file);
    if (!tree) continue;
    for (const name of ['MIDDLEWARE', 'MIDDLEWARE_CLASSES']) {
      for (const a of findAssignments(tree, name)) {
        const seq = sequenceLiteral(a.value);
        for (const element of seq?.elements ?? []) {
          const value = stringLiteralValue(element);
          if (value) out.add(value);
        }
      }
    }
  }
  return [...out];
}

const PROBE_MARKER = '@@authkit-django-session-middleware@@';
// Imports each class and asks issubclass; any failure (not importable, not a class) is "no".
const PROBE = `
import importlib, json, sys
sys.path = [p for p in sys.path if p not in ('', '.')]
answers = {}
try:
    from django.contrib.sessions.middleware import SessionMiddleware
except Exception:
    SessionMiddleware = None
for dotted in json.loads(sys.argv[1]):
    module, _, name = dotted.rpartition('.')
    try:
        cls = getattr(importlib.import_module(module), name)
        answers[dotted] = SessionMiddleware is not None and isinstance(cls, type) and issubclass(cls, SessionMiddleware)
    except Exception:
        answers[dotted] = False
sys.stdout.write("\\n${PROBE_MARKER}" + json.dumps(answers) + "\\n")
`;

/**
 * Asks the project's interpreter which of `candidates` subclass Django's SessionMiddleware:
 * for classes static reading cannot follow (installed packages). One subprocess with a time
 * limit; an interpreter that cannot answer answers "none".
 */
export function sessionMiddlewareByPython(python: PythonInfo, cwd: string, env: NodeJS.ProcessEnv, candidates: string[]): Promise<string[]> {
  const [interpreter, ...rest] = python.command;
  if (!interpreter || !python.exists || candidates.length === 0) return Promise.resolve([]);
  return new Promise((resolvePromise) => {
    execFile(
      interpreter,
      [...rest, '-B', '-c', PROBE, JSON.stringify(candidates)],
      { cwd, env: { ...env, PYTHONDONTWRITEBYTECODE: '1' }, timeout: 15_000, windowsHide: true },
      (_error, stdout) => {
        const line = (stdout?.toString() ?? '').split('\n').find((l) => l.startsWith(PROBE_MARKER));
        try {
          const answers = line ? (JSON.parse(line.slice(PROBE_MARKER.length)) as Record<string, boolean>) : {};
          resolvePromise(candidates.filter((c) => answers[c] === true));
        } catch {
          resolvePromise([]);
        }
      },
    );
  });
}
