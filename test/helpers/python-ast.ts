/**
 * Asks the real CPython what a piece of source means: each source is parsed with `ast`
 * and the named module-level assignment is evaluated with `ast.literal_eval`.
 */
import { execFileSync } from 'node:child_process';

const SCRIPT = `
import ast, json, sys
out = []
for item in json.load(sys.stdin):
    try:
        tree = ast.parse(item["source"].encode("utf-8"))
    except SyntaxError as error:
        out.append({"error": f"{error.msg} at line {error.lineno}"})
        continue
    value = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == item["name"] for t in node.targets):
            value = ast.literal_eval(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == item["name"]:
            value = ast.literal_eval(node.value)
    out.append({"value": value})
json.dump(out, sys.stdout)
`;

export interface AstResult {
  error?: string;
  value?: unknown;
}

/** Parses every source with Python's ast in one subprocess; returns the literal value of `name` in each. */
export function literalValues(items: { source: string; name: string }[]): AstResult[] {
  const stdout = execFileSync('python3', ['-c', SCRIPT], { input: JSON.stringify(items), encoding: 'utf8' });
  return JSON.parse(stdout) as AstResult[];
}

/** Parses each source with Python's ast; returns the syntax error message or null for each. */
export function pythonSyntaxErrors(sources: string[]): (string | null)[] {
  return literalValues(sources.map((source) => ({ source, name: '__none__' }))).map((r) => r.error ?? null);
}

/** True when `original` can be obtained from `edited` by deleting characters only (the edit only inserted). */
export function onlyInserted(original: string, edited: string): boolean {
  let i = 0;
  for (let j = 0; j < edited.length && i < original.length; j++) if (edited[j] === original[i]) i++;
  return i === original.length;
}
