/**
 * Large modules are parsed in parts (src/python/parse-in-parts.ts, top-level.ts). What
 * must hold, checked here against tree-sitter's whole-file parse and CPython's compile:
 * - a statement the character loop calls plain compiles in CPython and parses without
 *   error in tree-sitter (seeded generation of statements and of one-character
 *   mutations of them, most of which are not valid Python);
 * - every statement start it finds is where the whole-file parse starts a module-level
 *   statement;
 * - a module parsed in parts reads exactly as the whole-file parse (kinds, offsets,
 *   rows, text), and a module with an error is not parsed in parts (the whole-file parse
 *   reports it).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { before, test } from 'node:test';
import type { Node, Parser } from 'web-tree-sitter';
import { ModuleTree } from '../../src/python/module-tree.js';
import { PlainRun, parseInParts } from '../../src/python/parse-in-parts.js';
import { loadPythonParser, parseCounts } from '../../src/python/parser.js';
import { isPlainStatement, topLevelStatements } from '../../src/python/top-level.js';
import { generate, rng } from '../plan/property/generator.js';

let parser: Parser;
before(async () => {
  parser = await loadPythonParser();
});

/** Statements of the shapes settings files hold, plain and not. */
function statementGenerator(rnd: () => number): () => string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const names = ['DEBUG', 'BASE_DIR', 'os', 'env', 'x', 'INSTALLED_APPS', 'Path', 'None', 'True', 'match', 'type', 'if', 'not', 'lambda', '_', 'é'];
  const strings = ["'a'", '"b"', "r'\\d'", "b'x'", "'it\\'s'", '"""doc\nstring"""', "f'{x}'", "u'u'", "'\\x41'", "'é'", "rb'\\\\'", "'a' 'b'", "'a' b'b'", "''"];
  const numbers = ['0', '1', '42', '1_000', '3.14', '.5', '1e-5', '0x1F', '0o7', '0b1', '1j', '007', '1__0', '00', '5.', '1e', '0_0'];
  let depth = 0;
  const expr = (): string => {
    if (depth > 3) return pick(names);
    depth++;
    try {
      switch (Math.floor(rnd() * 12)) {
        case 0:
          return pick(names);
        case 1:
          return pick(strings);
        case 2:
          return pick(numbers);
        case 3:
          return `[${Array.from({ length: Math.floor(rnd() * 3) }, expr).join(', ')}${rnd() < 0.3 ? ',' : ''}]`;
        case 4:
          return `{${Array.from({ length: Math.floor(rnd() * 3) }, () => `${expr()}: ${expr()}`).join(', ')}}`;
        case 5:
          return `(${Array.from({ length: Math.floor(rnd() * 3) }, expr).join(', ')}${rnd() < 0.3 ? ',' : ''})`;
        case 6:
          return `${pick(names)}.${pick(['path', 'join', 'if', 'get'])}`;
        case 7:
          return `${pick(names)}(${Array.from({ length: Math.floor(rnd() * 3) }, () => (rnd() < 0.4 ? `${pick(['default', 'cast', 'if'])}=${expr()}` : expr())).join(', ')})`;
        case 8:
          return `${expr()} ${pick(['+', '-', '/', '*', '**', '//', '%', '|', '&', '==', '!=', 'in', 'not in', 'is', 'is not', 'and', 'or', '<', '<>', 'if'])} ${expr()}`;
        case 9:
          return `${pick(['-', 'not ', '~', '+'])}${expr()}`;
        case 10:
          return `${pick(names)}[${expr()}]`;
        default:
          return `{${Array.from({ length: 1 + Math.floor(rnd() * 2) }, expr).join(', ')}}`;
      }
    } finally {
      depth--;
    }
  };
  return () => {
    switch (Math.floor(rnd() * 9)) {
      case 0:
        return `import ${pick(['os', 'os.path', 'a.b as c', 'x, y'])}`;
      case 1:
        return `from ${pick(['.', '..', 'os', 'a.b', '__future__', ''])} import ${pick(['*', 'x', 'x as y', '(x, y,)', '(x)', 'x,'])}`;
      case 2:
        return `${pick(names)} ${pick(['+=', '|=', '-=', ':='])} ${expr()}`;
      case 3:
        return `${pick(names)}, ${pick(names)} = ${expr()}, ${expr()}`;
      case 4:
        return expr();
      case 5:
        return `${pick(names)}${pick(['', '.attr', '[0]', '()'])} = ${pick(names)} = ${expr()}`;
      default:
        return `${pick(names)} = ${expr()}${rnd() < 0.3 ? '  # note' : ''}`;
    }
  };
}

const MUTATIONS = ['', ' ', "'", '"', '(', ')', '[', ']', '{', '}', ',', ':', '=', '.', '\\', '#', '\n', '\n    ', 'f', 'b', '0', ';', '*', '\t', '\r'];

function mutate(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const insert = MUTATIONS[Math.floor(rnd() * MUTATIONS.length)]!;
  return rnd() < 0.5 ? text.slice(0, at) + insert + text.slice(at + 1) : text.slice(0, at) + insert + text.slice(at);
}

/** CPython's verdict on each source (compile, so that compile-time errors count too): null or the error. */
function cpythonErrors(sources: string[]): (string | null)[] {
  const script = [
    'import json, sys, warnings',
    'warnings.simplefilter("ignore")',
    'out = []',
    'for source in json.load(sys.stdin):',
    '    try:',
    '        compile(source, "settings.py", "exec")',
    '        out.append(None)',
    '    except (SyntaxError, ValueError) as error:',
    '        out.append(str(error))',
    'json.dump(out, sys.stdout)',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(sources), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as (string | null)[];
}

test('a statement found plain compiles in CPython and parses cleanly in tree-sitter (seeded statements and mutations)', () => {
  const rnd = rng(20261202);
  const statement = statementGenerator(rnd);
  const cases: string[] = [];
  for (let i = 0; i < 5000; i++) {
    const text = `${statement()}\n`;
    cases.push(text, mutate(text, rnd), mutate(mutate(text, rnd), rnd));
  }
  const plain = cases.filter((text) => isPlainStatement(text, 0, text.length));
  const notPlain = cases.length - plain.length;
  // Both verdicts are common, so the property is tested on each side.
  assert.ok(plain.length > 2000 && notPlain > 2000, `${plain.length} plain, ${notPlain} not`);
  const errors = cpythonErrors(plain);
  const wrong = plain.filter((text, i) => errors[i] !== null || parser.parse(text)!.rootNode.hasError);
  assert.deepEqual(wrong.slice(0, 5), [], `${wrong.length} of ${plain.length} plain statements do not parse`);
});

test('the subset leaves out what it cannot vouch for', () => {
  const notPlain = [
    "x = f'{a}'",
    'x = 1; y = 2',
    'x = [i for i in y]',
    'x = a if b else c',
    'x = lambda: 1',
    'x: int = 1',
    'x = y[1:2]',
    'x = \\\n  1',
    "x = 'a\\\nb'",
    'f(a=1, 2)',
    'f(a=1, a=2)',
    'f(*args)',
    "x = b'a' 'b'",
    'x = 007',
    "x = '\\N{DASH}'",
    'from __future__ import annotations',
    'if DEBUG:\n    x = 1',
    'x = 1\n    y = 2',
    'é = 1',
    'True = 1',
    'x + 1 = 2',
    '(a, b) = c',
    'del x',
  ];
  for (const text of notPlain) assert.equal(isPlainStatement(text, 0, text.length), false, text);
  const plain = [
    "INSTALLED_APPS = ['a', 'b',]  # apps\n\n# more\n",
    'BASE_DIR = Path(__file__).resolve().parent.parent\n',
    "DATABASES = {'default': env.db('DATABASE_URL', default='sqlite:///db.sqlite3')}\n",
    'DEBUG = os.environ.get("DEBUG", "") != "1" and not TESTING\n',
    'from .base import *\n',
    'from django.utils.translation import (\n    gettext_lazy as _,\n)\n',
    'x = y = 1\n',
    'a, b = 1, 2\n',
    'SETTINGS["k"] += [1]\n',
    '"""Docstring\nover lines."""\n',
    '# only a comment\n\n',
    "x = r'\\'' + rb'\\\\'\n",
    'x = (1)\r\n',
  ];
  for (const text of plain) assert.equal(isPlainStatement(text, 0, text.length), true, JSON.stringify(text));
});

/** Modules made of statements, blocks, decorators, multi-line strings and continuations. */
function moduleGenerator(rnd: () => number): () => string {
  const statement = statementGenerator(rnd);
  const pieces = [
    () => statement(),
    () => `if DEBUG:\n    ${statement()}\nelif x:\n    pass\nelse:\n    ${statement()}`,
    () => `try:\n    import x\nexcept ImportError:\n    x = None\nfinally:\n    pass`,
    () => `@decorator\n@other(1,\n  2)\ndef f():\n    return """\nnot = a statement\n"""`,
    () => `X = [\n    'a',\n# a comment at column 0\n    'b',\n]`,
    () => `Y = f"{ {'k': "v"}['k'] }" + f'{x!r:>{w}}'`,
    () => `Z = 1 + \\\n2`,
    () => `S = '''\nA = 1\n'''`,
    () => `class K(Base):\n    a = 1\n\n    def m(self):\n        pass`,
    () => `# a comment\n\n`,
  ];
  return () => {
    const parts = Array.from({ length: 3 + Math.floor(rnd() * 12) }, () => pieces[Math.floor(rnd() * pieces.length)]!());
    const eol = rnd() < 0.2 ? '\r\n' : '\n';
    return `${parts.join(rnd() < 0.5 ? '\n' : '\n\n')}\n`.replace(/\r?\n/g, eol);
  };
}

const described = (nodes: (Node | null)[]): string[] =>
  nodes.map((c) => `${c!.type} ${c!.startIndex}-${c!.endIndex} ${c!.startPosition.row}:${c!.startPosition.column}-${c!.endPosition.row}:${c!.endPosition.column} ${JSON.stringify(c!.text)}`);

const parseRange = (text: string, start: number, end: number, startPosition: Node['startPosition'], endPosition: Node['startPosition']) =>
  parser.parse(text, null, { includedRanges: [{ startIndex: start, endIndex: end, startPosition, endPosition }] })!;

test('statement starts are the whole parse\'s, and a module in parts reads as the whole parse (or is not parsed in parts)', () => {
  const rnd = rng(7);
  const generate = moduleGenerator(rnd);
  let clean = 0;
  let broken = 0;
  for (let i = 0; i < 400; i++) {
    const text = generate();
    const whole = parser.parse(text)!;
    const segments = parseInParts(text, parseRange);
    if (whole.rootNode.hasError) {
      broken++;
      // Not read in parts: the whole-file parse reports the error (tree-sitter's recovery
      // from a part's start alone can place it elsewhere).
      assert.equal(segments, null, JSON.stringify(text));
      continue;
    }
    clean++;
    const childStarts = new Set(whole.rootNode.namedChildren.map((c) => c!.startIndex));
    for (const start of topLevelStatements(text).starts.slice(1)) assert.ok(childStarts.has(start), `${start} in ${JSON.stringify(text)}`);
    assert.ok(segments, JSON.stringify(text));
    const inParts = new ModuleTree(text, segments);
    assert.deepEqual(described(inParts.rootNode.namedChildren), described(whole.rootNode.namedChildren), JSON.stringify(text));
    assert.equal(inParts.rootNode.hasError, false);
  }
  assert.ok(clean > 100 && broken > 20, `${clean} clean modules, ${broken} broken`);
});

test('a run of plain statements is parsed only when it is read', () => {
  const text = Array.from({ length: 2000 }, (_, i) => `SETTING_${i} = {'name': 'value ${i}', 'items': [1, 2, 3]}  # note ${i}\n`).join('');
  const before = parseCounts.partChars;
  const segments = parseInParts(text, (t, s, e, sp, ep) => {
    parseCounts.partChars += e - s;
    return parseRange(t, s, e, sp, ep);
  })!;
  assert.ok(segments.length > 4 && segments.every((s) => s instanceof PlainRun));
  assert.equal(parseCounts.partChars, before, 'nothing parsed yet');
  const tree = new ModuleTree(text, segments);
  const child = tree.rootNode.firstNamedChildForIndex(text.indexOf('SETTING_1500 '))!;
  assert.equal(child.text, "SETTING_1500 = {'name': 'value 1500', 'items': [1, 2, 3]}");
  assert.equal(child.startPosition.row, 1500);
  const parsed = parseCounts.partChars - before;
  assert.ok(parsed > 0 && parsed < text.length / 4, `${parsed} of ${text.length} characters parsed`);
});

test('the property test\'s settings and urls variants read in parts as the whole parse reads them', async () => {
  let inParts = 0;
  for (let seed = 1; seed <= 300; seed++) {
    for (const [name, text] of Object.entries(generate(seed).files)) {
      if (!name.endsWith('.py')) continue;
      const whole = parser.parse(text)!;
      const segments = parseInParts(text, parseRange);
      if (whole.rootNode.hasError) {
        assert.equal(segments, null, `${seed} ${name}`);
        continue;
      }
      // A lone CR is not cut (the whole-file parse reads that file).
      if (!segments) {
        assert.match(text, /\r(?!\n)/, `${seed} ${name}`);
        continue;
      }
      inParts++;
      assert.deepEqual(described(new ModuleTree(text, segments).rootNode.namedChildren), described(whole.rootNode.namedChildren), `${seed} ${name}`);
    }
  }
  assert.ok(inParts > 500, `${inParts} files read in parts`);
});
