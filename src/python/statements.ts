/**
 * Inserting whole statements: an import in the group where isort/ruff would put it,
 * a statement after another one, a block at the end of a module (before a trailing
 * local-settings import).
 */
import type { Node, Tree } from './parser.js';
import { lastStatements, moduleChildren, moduleChildrenMentioning } from './locate.js';
import { applyEdits } from './splice.js';
import { detectEol, lineEnd, lineStart } from './style.js';

export type ImportSection = 'future' | 'stdlib' | 'thirdparty' | 'local';
const SECTION_ORDER: Record<ImportSection, number> = { future: 0, stdlib: 1, thirdparty: 2, local: 3 };

/** Standard-library modules a settings file is likely to import (enough to group imports the way isort does). */
const STDLIB = new Set(
  (
    'abc argparse ast asyncio base64 collections contextlib copy csv dataclasses datetime decimal email enum ' +
    'functools glob hashlib importlib inspect io ipaddress itertools json logging math mimetypes os pathlib ' +
    'pickle platform pprint random re secrets shutil socket ssl string subprocess sys tempfile textwrap ' +
    'threading time traceback types typing unittest urllib uuid warnings zoneinfo'
  ).split(' '),
);

export interface ImportToAdd {
  /** The statement, e.g. `import os` or `from dotenv import load_dotenv`. */
  statement: string;
  /** The module sorted on (`os`, `dotenv`). */
  module: string;
  section: ImportSection;
  /**
   * A line of its own, never joined to an existing `from M import ...` (the project's
   * line stays byte for byte as it was).
   */
  ownLine?: boolean;
}

interface LeadingImport {
  node: Node;
  module: string;
  straight: boolean;
  section: ImportSection;
}

function sectionOf(module: string, firstParty: ReadonlySet<string>): ImportSection {
  if (module.startsWith('.')) return 'local';
  const top = module.split('.')[0]!;
  if (top === '__future__') return 'future';
  if (STDLIB.has(top)) return 'stdlib';
  if (firstParty.has(top)) return 'local';
  return 'thirdparty';
}

function isDocstring(node: Node): boolean {
  return node.type === 'expression_statement' && node.namedChildren.length === 1 && node.namedChildren[0]?.type === 'string';
}

/** The module's docstring statement and its run of leading imports (comments between them allowed). */
function leadingImports(tree: Tree, firstParty: ReadonlySet<string>): { docstring: Node | null; imports: LeadingImport[] } {
  let docstring: Node | null = null;
  const imports: LeadingImport[] = [];
  for (const node of moduleChildren(tree)) {
    if (!node || node.type === 'comment') continue;
    if (!docstring && imports.length === 0 && isDocstring(node)) {
      docstring = node;
      continue;
    }
    if (node.type === 'import_statement') {
      const module = node.childForFieldName('name')?.text.replace(/\s+as\s+.*/, '') ?? '';
      const name = node.childrenForFieldName('name')[0];
      const moduleName = name?.type === 'aliased_import' ? (name.childForFieldName('name')?.text ?? module) : (name?.text ?? module);
      imports.push({ node, module: moduleName, straight: true, section: sectionOf(moduleName, firstParty) });
    } else if (node.type === 'import_from_statement' || node.type === 'future_import_statement') {
      const module = node.type === 'future_import_statement' ? '__future__' : (node.childForFieldName('module_name')?.text ?? '');
      imports.push({ node, module, straight: false, section: sectionOf(module, firstParty) });
    } else {
      break;
    }
  }
  return { docstring, imports };
}

/** Splits imports into groups separated by blank or comment lines. */
function groupsOf(imports: LeadingImport[]): LeadingImport[][] {
  const groups: LeadingImport[][] = [];
  for (const imp of imports) {
    const group = groups[groups.length - 1];
    const last = group?.[group.length - 1];
    if (group && last && imp.node.startPosition.row === last.node.endPosition.row + 1) group.push(imp);
    else groups.push([imp]);
  }
  return groups;
}

function insertBefore(source: string, node: Node, text: string): string {
  const at = lineStart(source, node.startIndex);
  return applyEdits(source, [{ start: at, end: at, text }]);
}

function insertAfter(source: string, node: Node, text: string): string {
  const at = lineEnd(source, node.endIndex);
  return applyEdits(source, [{ start: at, end: at, text }]);
}

/**
 * Adds an import where isort (and ruff's `I` rules) would: in the group of its section,
 * in sorted place (`import x` lines before `from x import y` lines), or as a new group
 * between the sections before and after it. The caller checks it is not imported yet.
 */
export function addImport(source: string, tree: Tree, add: ImportToAdd, firstParty: ReadonlySet<string> = new Set()): string {
  const merged = add.ownLine ? null : mergeIntoFromImport(source, tree, add.statement);
  if (merged !== null) return merged;
  const eol = detectEol(source);
  const { docstring, imports } = leadingImports(tree, firstParty);
  const key = add.module.toLowerCase();
  const straight = add.statement.startsWith('import ');
  const groups = groupsOf(imports);
  const group = groups.find((g) => g.every((i) => i.section === add.section));

  if (group) {
    const straightOnes = group.filter((i) => i.straight);
    const fromOnes = group.filter((i) => !i.straight);
    if (straight) {
      const after = straightOnes.find((i) => i.module.toLowerCase() > key);
      if (after) return insertBefore(source, after.node, `${add.statement}${eol}`);
      const lastStraight = straightOnes[straightOnes.length - 1];
      if (lastStraight) return insertAfter(source, lastStraight.node, `${eol}${add.statement}`);
      return insertBefore(source, group[0]!.node, `${add.statement}${eol}`);
    }
    const after = fromOnes.find((i) => i.module.toLowerCase() > key);
    if (after) return insertBefore(source, after.node, `${add.statement}${eol}`);
    return insertAfter(source, group[group.length - 1]!.node, `${eol}${add.statement}`);
  }

  const order = SECTION_ORDER[add.section];
  const before = [...groups].reverse().find((g) => SECTION_ORDER[g[0]!.section] < order);
  if (before) return insertAfter(source, before[before.length - 1]!.node, `${eol}${eol}${add.statement}`);
  const later = groups.find((g) => SECTION_ORDER[g[0]!.section] > order);
  if (later) return insertBefore(source, later[0]!.node, `${add.statement}${eol}${eol}`);
  if (docstring) return insertAfterWithBlankLines(source, docstring, add.statement);
  return insertAtTop(source, add.statement);
}

/**
 * `from M import n` when the module already has `from M import a, z`: add the name to
 * that statement, in sorted place, as isort would (`from M import a, n, z`).
 */
function mergeIntoFromImport(source: string, tree: Tree, statement: string): string | null {
  const parsed = /^from\s+(\S+)\s+import\s+(\w+(?:\s+as\s+\w+)?)$/.exec(statement);
  if (!parsed) return null;
  const [, module, name] = parsed;
  const existing = moduleChildrenMentioning(tree, ['import']).find(
    (n): n is Node =>
      !!n &&
      n.type === 'import_from_statement' &&
      n.childForFieldName('module_name')?.text === module &&
      !n.namedChildren.some((c) => c?.type === 'wildcard_import'),
  );
  if (!existing) return null;
  const names = existing.childrenForFieldName('name');
  const last = names[names.length - 1];
  if (!last) return null;
  const key = name!.toLowerCase();
  const nameOf = (n: Node) => (n.childForFieldName('name')?.text ?? n.text).toLowerCase();
  const after = names.find((n) => nameOf(n) > key);
  const multiline = names.some((n) => n.startPosition.row !== existing.startPosition.row);
  if (!multiline) {
    return after
      ? applyEdits(source, [{ start: after.startIndex, end: after.startIndex, text: `${name}, ` }])
      : applyEdits(source, [{ start: last.endIndex, end: last.endIndex, text: `, ${name}` }]);
  }
  // One name per line inside parentheses: a line of its own, indented like the others.
  const eol = detectEol(source);
  const anchor = after ?? last;
  const indent = /^[ \t]*/.exec(source.slice(lineStart(source, anchor.startIndex)))![0];
  if (after) {
    const at = lineStart(source, after.startIndex);
    return applyEdits(source, [{ start: at, end: at, text: `${indent}${name},${eol}` }]);
  }
  const comma = source.slice(last.endIndex).match(/^\s*,/);
  const at = lineEnd(source, last.endIndex);
  return comma
    ? applyEdits(source, [{ start: at, end: at, text: `${eol}${indent}${name},` }])
    : applyEdits(source, [
        { start: last.endIndex, end: last.endIndex, text: ',' },
        { start: at, end: at, text: `${eol}${indent}${name}` },
      ]);
}

/** Inserts `statement` at the top of the module: after a BOM, a shebang/encoding/licence comment block. */
function insertAtTop(source: string, statement: string): string {
  const eol = detectEol(source);
  let at = source.startsWith('\uFEFF') ? 1 : 0;
  const headerComments = /^(?:[ \t]*#[^\n]*\n)+(?:[ \t]*\r?\n)*/.exec(source.slice(at));
  if (headerComments) at += headerComments[0].length;
  const rest = source.slice(at);
  const separator = rest.length === 0 || /^[ \t]*\r?\n/.test(rest) ? eol : `${eol}${eol}`;
  return applyEdits(source, [{ start: at, end: at, text: `${statement}${separator}` }]);
}

/**
 * Inserts `statement` on its own after `node`, set apart by a blank line before it, and
 * one after it when the next line is code.
 */
export function insertAfterWithBlankLines(source: string, node: Node, statement: string): string {
  const eol = detectEol(source);
  const at = lineEnd(source, node.endIndex);
  const following = source.slice(at).replace(/^\r?\n/, '');
  const nextLineBlank = following.length === 0 || /^[ \t]*(\r?\n|$)/.test(following);
  const after = nextLineBlank ? '' : eol;
  return applyEdits(source, [{ start: at, end: at, text: `${eol}${eol}${statement}${after}` }]);
}

/** Relative or `local`-named imports that conventionally end a settings module (`from .local import *`). */
function isTrailingLocalImport(node: Node): boolean {
  const localName = /(^|\.)(local|local_settings|settings_local|dev_local|overrides?)$/;
  if (node.type === 'import_from_statement') {
    const module = node.childForFieldName('module_name')?.text ?? '';
    const star = node.namedChildren.some((c) => c?.type === 'wildcard_import');
    return localName.test(module) || (star && module.startsWith('.'));
  }
  if (node.type === 'try_statement') {
    const body = node.childForFieldName('body');
    const statements = body?.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') ?? [];
    return statements.length > 0 && statements.every((s) => isTrailingLocalImport(s));
  }
  return false;
}

/**
 * Adds a block of statements at the end of the module, before a trailing local-settings
 * import (which must keep the last word), set apart by blank lines.
 */
export function appendBlock(source: string, tree: Tree, block: string): string {
  const eol = detectEol(source);
  const statements = lastStatements(tree, 2);
  const last = statements[statements.length - 1];
  if (last && statements.length > 1 && isTrailingLocalImport(last)) {
    // Keep the comment lines that introduce the local import attached to it.
    let start = lineStart(source, last.startIndex);
    for (;;) {
      const prevLineStart = lineStart(source, Math.max(0, start - 1));
      if (prevLineStart === start || !/^[ \t]*#/.test(source.slice(prevLineStart, start))) break;
      start = prevLineStart;
    }
    return applyEdits(source, [{ start, end: start, text: `${block}${eol}${eol}` }]);
  }
  const trailing = source.slice(endOfLastLine(source));
  const newlinesAtEnd = (trailing.match(/\n/g) ?? []).length;
  const lead = newlinesAtEnd >= 2 ? '' : newlinesAtEnd === 1 ? eol : `${eol}${eol}`;
  return `${source}${lead}${block}${eol}`;
}

/**
 * Where the text's trailing blank lines (and the blanks ending its last line) start: what
 * `/(?:[ \t]*\r?\n)+$/` matches, read from the end (a regex tried at every line break
 * of a 2 MB file costs more than the edit).
 */
function endOfLastLine(source: string): number {
  let end = source.length;
  for (;;) {
    if (source.charCodeAt(end - 1) !== 0x0a) return end;
    let i = end - 1;
    if (source.charCodeAt(i - 1) === 0x0d) i--;
    while (source.charCodeAt(i - 1) === 0x20 || source.charCodeAt(i - 1) === 0x09) i--;
    end = i;
  }
}
