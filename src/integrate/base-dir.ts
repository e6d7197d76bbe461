import { dirname } from 'node:path';
import { findAssignments } from '../python/locate.js';
import type { Node, Tree } from '../python/parser.js';

/**
 * The folder BASE_DIR names, for the two shapes Django itself has generated:
 * `Path(__file__).resolve().parent.parent` (or `.parents[N]`) and
 * `os.path.dirname(os.path.dirname(os.path.abspath(__file__)))`.
 */
export function baseDirOf(tree: Tree, settingsFile: string): { dir: string; style: 'pathlib' | 'os.path'; statement: Node } | null {
  const assignments = findAssignments(tree, 'BASE_DIR').filter((a) => !a.conditional);
  if (assignments.length !== 1) return null;
  const { value, statement } = assignments[0]!;
  const text = value?.text.replace(/\s+/g, '') ?? '';
  let levels: number | null = null;
  let style: 'pathlib' | 'os.path' = 'pathlib';
  const pathlib = /^(?:pathlib\.)?Path\(__file__\)(?:\.resolve\(\)|\.absolute\(\))?((?:\.parent)+|\.parents\[(\d+)\])$/.exec(text);
  if (pathlib) {
    levels = pathlib[2] !== undefined ? Number(pathlib[2]) + 1 : pathlib[1]!.split('.parent').length - 1;
  } else {
    const osPath = /^((?:os\.path\.dirname\()+)os\.path\.(?:abspath|realpath)\(__file__\)(\)+)$/.exec(text);
    if (osPath && osPath[1]!.split('(').length - 1 === osPath[2]!.length - 1) {
      levels = osPath[1]!.split('(').length - 1;
      style = 'os.path';
    }
  }
  if (levels === null || levels < 1) return null;
  let dir = settingsFile;
  for (let i = 0; i < levels; i++) dir = dirname(dir);
  return { dir, style, statement };
}


/**
 * The folder a TEMPLATES DIRS entry names, when it is BASE_DIR joined with literal
 * parts: `BASE_DIR / "templates"`, `os.path.join(BASE_DIR, "templates")`,
 * `str(BASE_DIR / "templates")`, `BASE_DIR.joinpath("templates")`.
 */
export function dirEntryPath(entry: Node, baseDir: string): string | null {
  let text = entry.text.replace(/\s+/g, '');
  const str = /^str\((.*)\)$/.exec(text);
  if (str) text = str[1]!;
  const parts: string[] = [];
  const literal = /^(['"])([\w./-]+)\1$/;
  const slash = /^BASE_DIR((?:\/(['"])[\w./-]+\2)+)$/.exec(text);
  if (slash) {
    for (const m of slash[1]!.matchAll(/\/(['"])([\w./-]+)\1/g)) parts.push(m[2]!);
  } else {
    const call = /^(?:os\.path\.join\(BASE_DIR,|BASE_DIR\.joinpath\()(.*)\)$/.exec(text);
    if (!call) return null;
    for (const piece of call[1]!.split(',')) {
      const m = literal.exec(piece);
      if (!m) return null;
      parts.push(m[2]!);
    }
  }
  return [baseDir, ...parts].join('/').replace(/\/+/g, '/');
}
