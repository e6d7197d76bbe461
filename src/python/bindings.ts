/**
 * Where a module binds its names, so that a statement we insert goes below everything it
 * uses: `load_dotenv(BASE_DIR / ".env")` after both `BASE_DIR = ...` and
 * `from dotenv import load_dotenv`, wherever in the file the project put them.
 */
import { enclosingStatement, findAssignments, findImports } from './locate.js';
import { parsePython, type Node, type Tree } from './parser.js';

/** The free names a piece of Python source reads (`os` and `BASE_DIR` in `os.path.join(BASE_DIR, "x")`). */
export function namesUsed(source: string): string[] {
  const names = new Set<string>();
  for (const id of parsePython(source).rootNode.descendantsOfType('identifier')) {
    if (!id) continue;
    const parent = id.parent;
    // `x.attr` reads x, not attr; `f(key=v)` reads v, not key.
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === id.id) continue;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.id === id.id) continue;
    names.add(id.text);
  }
  return [...names];
}

/** The module-level statements that bind `name` (imports and assignments, nested ones as their top-level block), in file order. */
function bindingsOf(tree: Tree, name: string): { node: Node; conditional: boolean }[] {
  const out: { node: Node; conditional: boolean }[] = [];
  for (const imp of findImports(tree)) {
    const binds = imp.names.some((n) => (n.alias ?? (imp.from === null ? n.name.split('.')[0] : n.name)) === name);
    if (binds) out.push({ node: enclosingStatement(imp.node), conditional: imp.conditional });
  }
  // Only the statements that mention the name are walked (each edit makes a new tree).
  for (const a of findAssignments(tree, name)) {
    out.push({ node: enclosingStatement(a.statement), conditional: a.conditional });
  }
  return out.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

/**
 * The last of the top-level statements that make `names` available: for each name its first
 * unconditional binding (else its last conditional one). Null when the module binds none of them.
 */
export function lastBindingOf(tree: Tree, names: string[]): Node | null {
  let last: Node | null = null;
  for (const name of names) {
    const bindings = bindingsOf(tree, name);
    const chosen = bindings.find((b) => !b.conditional) ?? bindings[bindings.length - 1];
    if (chosen && (!last || chosen.node.startIndex > last.startIndex)) last = chosen.node;
  }
  return last;
}
