/**
 * The settings file (the one that defines INSTALLED_APPS): load .env, read the WorkOS
 * keys from the environment, and make sure sessions work. Each edit is a splice; each
 * piece is skipped when it is already there anywhere in the settings chain.
 */
import { basename, dirname, relative, sep } from 'node:path';
import type { StepOutcome } from '../plan/types.js';
import { EditRefused } from '../python/checked-edit.js';
import { findAssignments, importsName, moduleChildren, moduleChildrenMentioning, sequenceLiteral, stringLiteralValue, type SequenceLiteral } from '../python/locate.js';
import { firstSyntaxError, lineOf, parsePython, type Node, type Tree } from '../python/parser.js';
import { insertIntoSequence } from '../python/splice.js';
import { addImport, appendBlock, insertAfterWithBlankLines } from '../python/statements.js';
import { lastBindingOf, namesUsed } from '../python/bindings.js';
import { preferredQuote, pythonString, type Quote } from '../python/style.js';
import { expressionFor, joinExpression, pathScope } from './path-values.js';
import type { PlanContext } from './context.js';
import { editPython } from './edit-python.js';
import { configReading, envTarget } from './env-target.js';
import { planAppSettings, planDjangoAuth } from './app-settings.js';

const SESSIONS_APP = 'django.contrib.sessions';
const SESSION_MIDDLEWARE = 'django.contrib.sessions.middleware.SessionMiddleware';
const SECURITY_MIDDLEWARE = 'django.middleware.security.SecurityMiddleware';

/** The other files of the chain (read-only here): something already done there counts. */
export function chainTexts(ctx: PlanContext): { file: string; text: string }[] {
  return ctx.model.settingsFiles
    .map((file) => ({ file, text: ctx.workspace.read(file) }))
    .filter((f): f is { file: string; text: string } => f.text !== null);
}

function firstParty(ctx: PlanContext): Set<string> {
  const pkg = ctx.model.projectPackage;
  const names = new Set<string>();
  if (pkg && pkg.startsWith(ctx.model.projectRoot + sep)) names.add(relative(ctx.model.projectRoot, pkg).split(sep)[0]!);
  return names;
}

/** The quote style of a sequence's string elements, else the file's. */
function quoteOf(seq: SequenceLiteral, tree: Tree): Quote {
  for (const element of seq.elements) {
    const start = element.type === 'string' ? element.children[0]?.text : undefined;
    if (start?.endsWith('"')) return '"';
    if (start?.endsWith("'")) return "'";
  }
  return preferredQuote(tree);
}

interface ListTarget {
  seq: SequenceLiteral;
  /** Where the name is assigned (for messages). */
  statement: Node;
  /** The part edited when the list is a sum of named lists (`LOCAL_APPS`), else absent. */
  part?: string;
}

/** One named list of a sum (`DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS`), in order. */
export interface ListPart {
  name: string;
  values: (string | null)[];
}

/** Which part of a sum gets the entry: Django's own entries belong in the first (the default). */
export type PartChoice = (parts: ListPart[]) => number;
const FIRST_PART: PartChoice = () => 0;

/** The operands of `a + b + c`, left to right. */
function sumOperands(node: Node | null | undefined): Node[] {
  if (node?.type === 'binary_operator' && node.childForFieldName('operator')?.text === '+') {
    return [...sumOperands(node.childForFieldName('left')), ...sumOperands(node.childForFieldName('right'))];
  }
  return node ? [node] : [];
}

/**
 * The list literal to add to for a setting: the literal itself, or for
 * `A = X + Y + Z` the first part that is a module-level literal. Null when dynamic.
 */
function editableList(tree: Tree, name: string, choose: PartChoice = FIRST_PART): ListTarget | { dynamic: Node } | null {
  const assignments = findAssignments(tree, name).filter((a) => a.kind !== 'augmented');
  const main = assignments.find((a) => !a.conditional) ?? assignments[0];
  if (!main) return null;
  if (main.conditional || assignments.filter((a) => !a.conditional).length > 1) return { dynamic: main.statement };
  const direct = sequenceLiteral(main.value);
  if (direct) return { seq: direct, statement: main.statement };
  // `DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS`: the part `choose` names, among the
  // parts that are a name bound once to a literal list (the others are not ours to edit).
  const operands = sumOperands(main.value);
  if (operands.length < 2) return { dynamic: main.statement };
  const parts: (ListTarget & { part: string; values: (string | null)[] })[] = [];
  for (const operand of operands) {
    if (operand.type !== 'identifier') continue;
    const bound = findAssignments(tree, operand.text).filter((a) => !a.conditional && a.kind !== 'augmented');
    const seq = bound.length === 1 ? sequenceLiteral(bound[0]!.value) : null;
    if (seq) parts.push({ seq, statement: bound[0]!.statement, part: operand.text, values: seq.elements.map((e) => stringLiteralValue(e)) });
  }
  if (parts.length === 0) return { dynamic: main.statement };
  const chosen = parts[Math.min(parts.length - 1, Math.max(0, choose(parts.map(({ part, values }) => ({ name: part, values })))))]!;
  return { seq: chosen.seq, statement: chosen.statement, part: chosen.part };
}

export function addToList(
  ctx: PlanContext,
  file: string,
  name: string,
  value: string,
  position: (values: (string | null)[]) => number,
  id: string,
  choosePart: PartChoice = FIRST_PART,
): StepOutcome {
  const text = ctx.workspace.read(file)!;
  const tree = parsePython(text);
  const target = editableList(tree, name, choosePart);
  const shown = ctx.display(file);
  if (target === null || 'dynamic' in target) {
    return {
      id,
      status: 'manual',
      file,
      ...(target ? { line: ctx.workspace.lineOnDisk(file, lineOf(target.dynamic)), anchor: target.dynamic.text } : {}),
      summary: `add '${value}' to ${name}`,
      reason: target
        ? `${name} in ${shown} is built in a way the tool cannot edit safely`
        : `${shown} does not assign ${name}`,
      snippet: `${name} += ['${value}']`,
    };
  }
  const at = position(target.seq.elements.map((e) => stringLiteralValue(e)));
  const element = pythonString(value, quoteOf(target.seq, tree));
  // A one-line list stays on its line even when that makes it long: laying it out again
  // would change bytes of the user's statement, and edits here only insert.
  editPython(ctx, file, (source) => insertIntoSequence(source, target.seq, element, at));
  recordAddition(ctx, name, value);
  // The part is a setting too (an uppercase module name): its addition is planned as well.
  if (target.part) recordAddition(ctx, target.part, value);
  const where = target.part ? `${name} (in ${target.part})` : name;
  return { id, status: 'change', file, line: ctx.workspace.lineOnDisk(file, lineOf(target.statement)), summary: `add '${value}' to ${where} in ${shown}` };
}

function recordAddition(ctx: PlanContext, name: string, value: string): void {
  if (!ctx.planned) return;
  (ctx.planned.listAdditions[name] ??= []).push(value);
}

function planLoadDotenv(ctx: PlanContext, file: string, outcomes: StepOutcome[]): void {
  const target = envTarget(ctx).file;
  const reading = configReading(ctx);
  // Only a loader that runs on every load counts (not one under `if env.bool("DJANGO_READ_DOT_ENV_FILE")`).
  const loader = reading.loaders.find((l) => l.unconditional && (l.reads === target || l.reads === null));
  if (loader) {
    outcomes.push({
      id: 'settings.load-dotenv',
      status: 'done',
      file: loader.file,
      line: loader.line,
      summary: `${ctx.display(loader.file)} already loads ${loader.reads ? ctx.display(loader.reads) : '.env'}`,
      ...(loader.reads === null ? { note: `could not tell which file ${loader.call} reads; check that it is ${ctx.display(target)}` } : {}),
    });
    return;
  }
  const library = reading.library;
  if (library?.name === 'python-decouple') {
    // decouple's config reads the first settings.ini or .env from the settings folder upward; no one-line call points it elsewhere.
    outcomes.push({
      id: 'settings.load-dotenv',
      status: 'manual',
      file: library.file,
      line: library.line,
      summary: `make python-decouple read ${ctx.display(target)}`,
      reason: `decouple's config reads the first settings.ini or .env above ${ctx.display(dirname(library.file))}, which is not ${ctx.display(target)}`,
      snippet: `WORKOS_API_KEY=...  # in the file decouple reads, kept out of git`,
    });
    return;
  }
  // django-environ and environs load with their own read_env, in the file that makes `env`.
  const where = library ? library.file : file;
  const shown = ctx.display(where);
  if (!library && !importsName(parsePython(ctx.workspace.read(where)!), 'load_dotenv')) {
    editPython(ctx, where, (text, tree) =>
      addImport(text, tree, { statement: 'from dotenv import load_dotenv', module: 'dotenv', section: 'thirdparty' }, firstParty(ctx)),
    );
  }
  const tree = parsePython(ctx.workspace.read(where)!);
  const quote = preferredQuote(tree);
  const envDir = dirname(target);
  const envName = pythonString(basename(target), quote);
  const scope = pathScope(tree, dunderFile(ctx, where), ctx.model.projectRoot);
  const base = expressionFor(envDir, scope);
  const loadCall = library ? `${library.reader}.read_env` : 'load_dotenv';
  // Not at or above the settings file: name the path from the settings folder.
  const call = base
    ? `${loadCall}(${joinExpression(base, envName)})`
    : `${loadCall}(os.path.join(os.path.dirname(os.path.abspath(__file__)), ${pythonString(relative(dirname(dunderFile(ctx, where)), envDir), quote)}, ${envName}))`;
  ensureImports(ctx, where, call);
  const includedBy = ctx.model.settingsIncludedBy[where];
  // Under django-split-settings `__file__` is not this file: say so where it is used.
  const statement =
    includedBy && call.includes('__file__')
      ? `# include() runs this file in ${ctx.display(includedBy)}: __file__ is that file.${detectEolOf(ctx.workspace.read(where)!)}${call}`
      : call;
  editPython(ctx, where, (t, tr) => {
    // After the imports, and after every line binding a name it uses (BASE_DIR, the env
    // reader, load_dotenv, os, Path), wherever the project put them.
    const anchors = [leadingImportEnd(tr), lastBindingOf(tr, namesUsed(call))].filter((n): n is Node => !!n);
    const anchor = anchors.sort((a, b) => b.startIndex - a.startIndex)[0];
    return insertAfterWithBlankLines(t, anchor ?? tr.rootNode.namedChildren[0]!, statement);
  });
  outcomes.push({ id: 'settings.load-dotenv', status: 'change', file: where, summary: `load ${ctx.display(target)} in ${shown} (${call})` });
}

/** How the settings read one key: the project's own reader when it has one bound in `file`. */
function keyReader(ctx: PlanContext, file: string, name: string, quote: Quote): string | null {
  const library = configReading(ctx).library;
  if (!library) return null;
  const tree = parsePython(ctx.workspace.read(file)!);
  const bound = importsName(tree, library.reader.split('.')[0]!) || findAssignments(tree, library.reader).length > 0;
  if (!bound) return null;
  const key = pythonString(name, quote);
  const empty = `${quote}${quote}`;
  if (library.name === 'environs') return `${library.reader}.str(${key}, default=${empty})`;
  return `${library.reader}(${key}, default=${empty})`;
}

/** What `__file__` is while `file` runs: the including module's file under django-split-settings. */
export function dunderFile(ctx: PlanContext, file: string): string {
  return ctx.model.settingsIncludedBy[file] ?? file;
}

/** Imports what a generated expression uses: `os` for os.path, `Path` from pathlib. */
export function ensureImports(ctx: PlanContext, file: string, source: string): void {
  const tree = parsePython(ctx.workspace.read(file)!);
  if (/\bos\.path\b/.test(source) && !importsName(tree, 'os')) {
    editPython(ctx, file, (t, tr) => addImport(t, tr, { statement: 'import os', module: 'os', section: 'stdlib' }, firstParty(ctx)));
  }
  if (/\bPath\(/.test(source) && !importsName(tree, 'Path', 'pathlib')) {
    editPython(ctx, file, (t, tr) => addImport(t, tr, { statement: 'from pathlib import Path', module: 'pathlib', section: 'stdlib' }, firstParty(ctx)));
  }
}

/** The last statement of the module's leading block of imports (after an optional docstring). */
function leadingImportEnd(tree: Tree): Node | null {
  let last: Node | null = null;
  let seenDocstring = false;
  for (const node of moduleChildren(tree)) {
    if (!node || node.type === 'comment') continue;
    if (!seenDocstring && !last && node.type === 'expression_statement' && node.namedChildren[0]?.type === 'string') {
      seenDocstring = true;
      continue;
    }
    if (/^(import_statement|import_from_statement|future_import_statement)$/.test(node.type)) last = node;
    else break;
  }
  return last;
}

/** Where a module-level name is assigned in the settings chain, if anywhere. */
function assignedIn(ctx: PlanContext, name: string): { file: string; line: number; value: string | null } | null {
  const loaded = ctx.model.settingsFiles[0];
  for (const { file, text } of chainTexts(ctx)) {
    // A developer's local override file (often untracked, often absent) does not set it for everyone.
    if (file !== loaded && LOCAL_MODULE.test(basename(file).replace(/\.py$/, ''))) continue;
    const found = findAssignments(parsePython(text), name)[0];
    if (found) return { file, line: lineOf(found.statement), value: stringLiteralValue(found.value) };
  }
  return null;
}

function planKeys(ctx: PlanContext, file: string, outcomes: StepOutcome[]): void {
  const quote = preferredQuote(parsePython(ctx.workspace.read(file)!));
  const lines: string[] = [];
  const added: StepOutcome[] = [];
  const missingKeys = ['WORKOS_API_KEY', 'WORKOS_CLIENT_ID'].filter((name) => {
    const where = assignedIn(ctx, name);
    if (where) outcomes.push({ id: `settings.${name.toLowerCase()}`, status: 'done', file: where.file, line: where.line, summary: `${name} is set in ${ctx.display(where.file)}` });
    return !where;
  });
  if (missingKeys.length > 0) {
    lines.push(`# WorkOS AuthKit: credentials come from the environment (the ${basename(envTarget(ctx).file)} file in development).`);
    for (const name of missingKeys) {
      lines.push(`${name} = ${keyReader(ctx, file, name, quote) ?? `os.environ.get(${pythonString(name, quote)}, ${quote}${quote})`}`);
      added.push({ id: `settings.${name.toLowerCase()}`, status: 'change', file, summary: `read ${name} from the environment in ${ctx.display(file)}` });
    }
  }
  const redirectUri = ctx.options.redirectUri;
  if (redirectUri) {
    const where = assignedIn(ctx, 'WORKOS_REDIRECT_URI');
    if (!where) {
      if (lines.length === 0) lines.push('# WorkOS AuthKit: the callback URL registered in the WorkOS dashboard.');
      lines.push(`WORKOS_REDIRECT_URI = ${pythonString(redirectUri, quote)}`);
      added.push({ id: 'settings.workos_redirect_uri', status: 'change', file, summary: `set WORKOS_REDIRECT_URI in ${ctx.display(file)}` });
    } else if (where.value === redirectUri) {
      outcomes.push({ id: 'settings.workos_redirect_uri', status: 'done', file: where.file, line: where.line, summary: `WORKOS_REDIRECT_URI is set in ${ctx.display(where.file)}` });
    } else {
      outcomes.push({
        id: 'settings.workos_redirect_uri',
        status: 'manual',
        file: where.file,
        line: where.line,
        summary: 'WORKOS_REDIRECT_URI already has another value',
        reason: 'the tool does not replace a value you set',
        snippet: `WORKOS_REDIRECT_URI = ${pythonString(redirectUri, quote)}`,
      });
    }
  }
  if (lines.length === 0) return;
  if (lines.some((l) => l.includes('os.environ')) && !importsName(parsePython(ctx.workspace.read(file)!), 'os')) {
    editPython(ctx, file, (t, tr) => addImport(t, tr, { statement: 'import os', module: 'os', section: 'stdlib' }, firstParty(ctx)));
  }
  placeBlock(ctx, file, lines);
  outcomes.push(...added);
}

/** A block of settings at the bottom of `file`, before a local-settings import (which keeps the last word). */
export function placeBlock(ctx: PlanContext, file: string, lines: readonly string[]): void {
  editPython(ctx, file, (t, tr) => {
    const block = lines.join(detectEolOf(t));
    const local = localSettingsImport(tr);
    if (!local) return appendBlock(t, tr, block);
    // Before a local-settings import, unless a name the block reads is bound only there or below.
    const bound = lastBindingOf(tr, namesUsed(block));
    return bound && bound.startIndex >= local.startIndex ? insertAfterWithBlankLines(t, bound, block) : insertBefore(t, local, block);
  });
}

const LOCAL_MODULE = /(^|\.)(local|local_settings|settings_local|dev_local|overrides?)$/;

/**
 * The first module-level statement that imports local settings (`from .local_settings import *`),
 * at the top level or inside any if / try / with block: values set there must keep the last word.
 */
export function localSettingsImport(tree: Tree): Node | null {
  // Only below the settings proper: a local import above INSTALLED_APPS is no override of it.
  const body = findAssignments(tree, 'INSTALLED_APPS')[0]?.statement;
  // Only children that mention `import` can hold one.
  for (const node of moduleChildrenMentioning(tree, ['import'])) {
    if (!node || node.type === 'comment' || node.type === 'function_definition' || node.type === 'class_definition') continue;
    if (!body || node.startIndex <= body.startIndex) continue;
    const imports = [node, ...node.descendantsOfType(['import_from_statement', 'import_statement'])].filter((n): n is Node => !!n);
    const local = imports.some((imp) => {
      if (imp.type === 'import_from_statement') return LOCAL_MODULE.test(imp.childForFieldName('module_name')?.text ?? '');
      if (imp.type === 'import_statement') return imp.childrenForFieldName('name').some((n) => !!n && LOCAL_MODULE.test(n.text.split(' ')[0]!));
      return false;
    });
    if (local) return node;
  }
  return null;
}

/** Inserts `block` and a blank line before `node`'s line, keeping the comment lines just above it attached to it. */
function insertBefore(source: string, node: Node, block: string): string {
  const eol = detectEolOf(source);
  const lineStartOf = (offset: number) => source.lastIndexOf('\n', offset - 1) + 1;
  let start = lineStartOf(node.startIndex);
  while (start > 0) {
    const previous = lineStartOf(start - 1);
    if (!/^[ \t]*#/.test(source.slice(previous, start))) break;
    start = previous;
  }
  const before = source.slice(0, start);
  const lead = before === '' || /(\r?\n){2}$/.test(before) ? '' : eol;
  return `${before}${lead}${block}${eol}${eol}${source.slice(start)}`;
}

export function detectEolOf(text: string): string {
  return /\r\n/.test(text) ? '\r\n' : '\n';
}

function planSessions(ctx: PlanContext, file: string, outcomes: StepOutcome[]): void {
  const { sessions } = ctx.model;
  if (sessions.app) {
    outcomes.push({ id: 'settings.sessions-app', status: 'done', summary: `${SESSIONS_APP} is in INSTALLED_APPS` });
  } else {
    outcomes.push(
      addToList(ctx, file, 'INSTALLED_APPS', SESSIONS_APP, (values) => {
        // Django's own order: after contenttypes / auth, else after the last django.contrib app.
        const anchor = ['django.contrib.contenttypes', 'django.contrib.auth'].map((v) => values.indexOf(v)).find((i) => i >= 0);
        if (anchor !== undefined) return anchor + 1;
        const lastContrib = values.map((v, i) => (v?.startsWith('django.contrib.') ? i : -1)).filter((i) => i >= 0).pop();
        return lastContrib !== undefined ? lastContrib + 1 : values.length;
      }, 'settings.sessions-app'),
    );
  }
  if (sessions.middleware) {
    outcomes.push({ id: 'settings.session-middleware', status: 'done', summary: 'SessionMiddleware is in MIDDLEWARE' });
  } else {
    outcomes.push(
      addToList(ctx, file, 'MIDDLEWARE', SESSION_MIDDLEWARE, (values) => {
        const security = values.indexOf(SECURITY_MIDDLEWARE);
        return security >= 0 ? security + 1 : 0;
      }, 'settings.session-middleware'),
    );
  }
}

/**
 * `app`: the authkit app the plan adds (its dotted path), whose settings come with it:
 * INSTALLED_APPS, MIDDLEWARE and, with Django auth, AUTHENTICATION_BACKENDS and LOGIN_URL.
 */
export function planSettings(ctx: PlanContext, app: { dotted: string } | null = null): StepOutcome[] {
  const file = ctx.model.settingsFile;
  if (!file) {
    return [
      {
        id: 'settings',
        status: 'manual',
        summary: 'no settings file defining INSTALLED_APPS was found',
        reason: 'see `authkit-django inspect` for what was found',
        snippet: "import os\nfrom dotenv import load_dotenv\n\nload_dotenv()\n\nWORKOS_API_KEY = os.environ.get('WORKOS_API_KEY', '')\nWORKOS_CLIENT_ID = os.environ.get('WORKOS_CLIENT_ID', '')",
      },
    ];
  }
  const text = ctx.workspace.read(file);
  const broken = text === null ? null : firstSyntaxError(parsePython(text));
  if (text === null || broken) {
    // Editing around a syntax error could only guess: stop before anything is written.
    throw new EditRefused(
      text === null ? `${ctx.display(file)} cannot be read` : `${ctx.display(file)} has a syntax error at line ${lineOf(broken!)}; fix it and run init again`,
      file,
      broken ? lineOf(broken) : undefined,
    );
  }
  const outcomes: StepOutcome[] = [];
  planLoadDotenv(ctx, file, outcomes);
  planSessions(ctx, file, outcomes);
  if (app) outcomes.push(...planAppSettings(ctx, file, app.dotted));
  planKeys(ctx, file, outcomes);
  if (app) outcomes.push(...planDjangoAuth(ctx, file, app.dotted));
  return outcomes;
}
