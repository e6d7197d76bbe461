/**
 * `if os.path.exists(env_file): load_dotenv(env_file)`: a guard that only asks whether the
 * very file being loaded exists. Loading a missing file does nothing, so such a load is as
 * good as an unguarded one for a file that is there (the one init writes the keys into).
 * Any other condition (`if env.bool("DJANGO_READ_DOT_ENV_FILE")`) still makes it conditional.
 */
import type { Node } from '../python/parser.js';
import { positionalArguments } from '../python/locate.js';
import { evaluatePath, type PathScope } from '../integrate/path-values.js';

/** `os.path.exists(X)` and friends: a function given the path. */
const EXISTS_FUNCTIONS = new Set(['os.path.exists', 'os.path.isfile', 'path.exists', 'path.isfile', 'exists', 'isfile']);
/** `X.exists()`, `Path(X).is_file()`: a method of the path. */
const EXISTS_METHODS = new Set(['exists', 'is_file']);
/** Wrappers that name the same file: `str(X)`, `Path(X)`, `os.fspath(X)`. */
const SAME_FILE_WRAPPERS = new Set(['str', 'Path', 'pathlib.Path', 'os.fspath']);

function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    if (current.type === 'parenthesized_expression' && current.namedChildren.length === 1) {
      current = current.namedChildren[0]!;
      continue;
    }
    if (current.type === 'call') {
      const callee = current.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
      const args = current.childForFieldName('arguments')?.namedChildren.filter((a) => a?.type !== 'comment') ?? [];
      if (SAME_FILE_WRAPPERS.has(callee) && args.length === 1 && args[0]!.type !== 'keyword_argument') {
        current = args[0]!;
        continue;
      }
    }
    return current;
  }
}

/** The path a condition tests for existence (and nothing else), or null. */
function testedPath(condition: Node): Node | null {
  const node = unwrap(condition);
  if (node.type !== 'call') return null;
  const fn = node.childForFieldName('function');
  const args = positionalArguments(node);
  const allArgs = node.childForFieldName('arguments')?.namedChildren.filter((a) => a?.type !== 'comment') ?? [];
  if (!fn) return null;
  if (EXISTS_FUNCTIONS.has(fn.text.replace(/\s+/g, '')) && args.length === 1 && allArgs.length === 1) return args[0]!;
  if (fn.type === 'attribute' && EXISTS_METHODS.has(fn.childForFieldName('attribute')?.text ?? '') && allArgs.length === 0) {
    return fn.childForFieldName('object');
  }
  return null;
}

/** Two expressions naming the same file: the same static path, or the same text once wrappers are taken off. */
function sameFile(a: Node, b: Node, scope: PathScope): boolean {
  const left = evaluatePath(a, scope);
  const right = evaluatePath(b, scope);
  if (left && right) return left.path === right.path;
  return unwrap(a).text.replace(/\s+/g, '') === unwrap(b).text.replace(/\s+/g, '');
}

/**
 * True when `ifStatement`'s condition only tests that `loaded` (the loader's path argument)
 * exists. The caller checks that the load sits in the if's own block, not an elif or else.
 */
export function onlyTestsExistenceOf(ifStatement: Node, loaded: Node | null, scope: PathScope): boolean {
  if (!loaded) return false;
  const condition = ifStatement.childForFieldName('condition');
  const tested = condition ? testedPath(condition) : null;
  return !!tested && sameFile(tested, loaded, scope);
}
