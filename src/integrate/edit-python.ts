import { checkEdit } from '../python/checked-edit.js';
import { parsePython, type Tree } from '../python/parser.js';
import type { PlanContext } from './context.js';

/**
 * One edit to a Python file of the plan: `change` gets the planned text and its tree and
 * returns the new text, which is re-parsed (a new syntax error throws EditRefused) before
 * it replaces the planned text.
 */
export function editPython(ctx: PlanContext, file: string, change: (text: string, tree: Tree) => string): void {
  const before = ctx.workspace.read(file)!;
  ctx.workspace.write(file, checkEdit(before, change(before, parsePython(before)), ctx.display(file)));
}
