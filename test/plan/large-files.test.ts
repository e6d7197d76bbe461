/**
 * Large files: parsed in parts (only what is read) or whole once, every planned edit
 * re-parsed around its own statements, the trees identical to a fresh parse (offsets, rows, text),
 * and a clear refusal above the size limit before any parsing. (Timings are in
 * bench/large-files.mjs, not here.)
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { discover } from '../../src/discover/index.js';
import { planIntegration } from '../../src/integrate/index.js';
import type { Node, Tree as SyntaxTree } from 'web-tree-sitter';
import { MAX_PARSE_CHARS, PARSE_IN_PARTS_ABOVE, firstSyntaxError, lineOf, loadPythonParser, parseCounts, parseEdited, parsePython, TooLargeToParse } from '../../src/python/parser.js';
import { UserError } from '../../src/util/errors.js';
import { cli, stateDir } from '../helpers/cli.js';
import { copyOfStartProject, snapshotTree } from '../helpers/django.js';

let fresh: (source: string) => string;
let freshTree: (source: string) => SyntaxTree;
before(async () => {
  // The parser itself, past parsePython's cache: a tree parsed from nothing.
  const parser = await loadPythonParser();
  freshTree = (source) => parser.parse(source)!;
  fresh = (source) => freshTree(source).rootNode.toString();
});

function pad(text: string, chars: number): string {
  const lines: string[] = [];
  for (let i = 0, size = text.length; size < chars; i++) {
    const line = `SETTING_${i} = {'name': 'value ${i}', 'items': [1, 2, 3]}  # note ${i}\n`;
    lines.push(line);
    size += line.length;
  }
  return text.replace('ALLOWED_HOSTS = []\n', `ALLOWED_HOSTS = []\n${lines.join('')}`);
}

test('an incremental re-parse gives the tree a fresh parse gives', () => {
  const base = "import os\n\nA = [\n    'x',\n]\nif DEBUG:\n    A += ['y']\nB = 'é😀'\n";
  const edits = [
    base.replace("    'x',\n", "    'x',\n    'z',\n"),
    `import sys\n${base}`,
    `${base}C = 1\n`,
    base.replace("B = 'é😀'", "B = 'é😀'  # ✓"),
    base.replace('if DEBUG:\n', 'if DEBUG:\n    pass\n'),
  ];
  for (const after of edits) {
    parsePython(base);
    assert.equal(parseEdited(base, after).rootNode.toString(), fresh(after));
  }
});

/** What a caller can read of the module's statements: kind, text, offsets and rows. */
function statements(tree: { rootNode: { namedChildren: (Node | null)[] } }): string[] {
  return tree.rootNode.namedChildren.map((c) => `${c!.type} ${c!.startIndex}-${c!.endIndex} ${c!.startPosition.row}:${c!.startPosition.column} ${JSON.stringify(c!.text)}`);
}

test('a chain of edits, each re-parsed around its statements only, reads as a fresh parse of the result', () => {
  const base = [
    '"""Settings."""',
    'import os',
    '',
    'A = [',
    "    'x',",
    ']',
    'if DEBUG:',
    "    A += ['y']",
    '# a comment at column 0',
    "B = 'é😀'; C = 2",
    'def f():',
    '    return """',
    'not a statement = 1',
    '"""',
    '@decorator',
    'class K:',
    '    pass',
    "D = {'k': [1,",
    '2]}',
    '',
  ].join('\n');
  const steps = [
    (t: string) => t.replace('import os\n', 'import os\nfrom dotenv import load_dotenv\n'),
    (t: string) => t.replace("    'x',\n", "    'x',\n    'z',\n"),
    (t: string) => `${t}\nE = os.environ.get('E', '')\n`,
    (t: string) => t.replace("    A += ['y']\n", "    A += ['y']\n    A += ['w']\n"),
    (t: string) => t.replace('# a comment at column 0\n', '# a comment at column 0\nload_dotenv()\n'),
    (t: string) => t.replace('not a statement = 1', 'still not = 2'),
    (t: string) => t.replace("B = 'é😀'; C = 2", "B = 'é😀'; C = 3"),
    (t: string) => t.replace('"""Settings."""\n', ''),
    (t: string) => t.replace('2]}\n', '2, 3]}\n'),
  ];
  let text = base;
  parsePython(text);
  for (const step of steps) {
    const next = step(text);
    assert.notEqual(next, text);
    const tree = parseEdited(text, next);
    assert.equal(tree.rootNode.toString(), fresh(next));
    assert.deepEqual(statements(tree), statements(freshTree(next)));
    assert.equal(firstSyntaxError(tree), null);
    text = next;
  }
  assert.ok(parsePython(text).segments.length > 1, 'the edits were re-parsed in parts, not whole');
});

test('an edit that breaks the file is found as a fresh parse finds it, also across the re-parsed part', () => {
  const base = "A = 1\nB = [\n    'x',\n]\nC = 3\n";
  parsePython(base);
  for (const broken of [base.replace("'x',", "'x',,"), base.replace('A = 1\n', 'A = 1 \\\n'), base.replace('B = [', 'B = [[')]) {
    const error = firstSyntaxError(parseEdited(base, broken));
    assert.ok(error, JSON.stringify(broken));
    const expected = firstSyntaxError(parsePython(`${broken}\n# not cached`));
    assert.equal(lineOf(error), lineOf(expected!), JSON.stringify(broken));
  }
});

test('planning a 300 KB settings file parses only the statements it reads, never the whole file; each edit is re-parsed around it', async () => {
  const dir = await copyOfStartProject('5.2');
  const file = join(dir, 'mysite', 'settings.py');
  const size = 300 * 1024;
  assert.ok(size > PARSE_IN_PARTS_ABOVE, 'the file is parsed in parts');
  writeFileSync(file, pad(readFileSync(file, 'utf8').replace("    'django.contrib.sessions',\n", ''), size));
  const start = { ...parseCounts };
  const model = await discover(dir, { env: { AUTHKIT_DJANGO_STATE_DIR: stateDir() }, probeInterpreter: false });
  const plan = planIntegration(model, { apiKey: 'sk_test_large0000000', clientId: 'client_large', replaceExistingEnvValues: false });
  const settingsChange = plan.changes.find((c) => c.file === file);
  assert.ok(settingsChange, 'the settings file is edited');
  const wholeChars = parseCounts.fullChars - start.fullChars;
  assert.ok(wholeChars < 100 * 1024, `parsed ${wholeChars} characters whole: the 300 KB file among them`);
  const partChars = parseCounts.partChars - start.partChars;
  assert.ok(partChars < 0.5 * size, `parsed ${partChars} characters of its parts: most of the file`);
  assert.ok(parseCounts.incremental - start.incremental >= 3, 'the edits were re-parsed incrementally');
});

test('a large file with a syntax error anywhere is reported at its line, as a whole-file parse reports it', () => {
  const base = pad("import os\nALLOWED_HOSTS = []\nDEBUG = True\n", PARSE_IN_PARTS_ABOVE + 50 * 1024);
  const lines = base.split('\n');
  for (const [row, broken] of [
    [1000, "SETTING_X = {'name': 'value', 'items': [1, 2, 3}"],
    [2500, 'def f(:'],
    [lines.length - 3, "SETTING_Y = 'unterminated"],
  ] as const) {
    const text = [...lines.slice(0, row), broken, ...lines.slice(row)].join('\n');
    const error = firstSyntaxError(parsePython(text));
    assert.ok(error, `line ${row + 1}`);
    assert.equal(lineOf(error), lineOf(firstSyntaxError(parsePython(`${text}\n# a whole parse`))!));
    assert.ok(Math.abs(lineOf(error) - (row + 1)) <= 1, `reported at ${lineOf(error)}, broken at ${row + 1}`);
  }
});

test('above the limit: refused before parsing, naming the file; init exits 1 and writes nothing', async () => {
  assert.throws(() => parsePython('x = 1\n'.repeat(MAX_PARSE_CHARS / 6 + 1), 'big.py'), (error: unknown) => error instanceof TooLargeToParse && error instanceof UserError && /big\.py is too large/.test(error.message));
  const dir = await copyOfStartProject('5.2');
  const file = join(dir, 'mysite', 'settings.py');
  writeFileSync(file, pad(readFileSync(file, 'utf8'), MAX_PARSE_CHARS + 1000));
  const snapshot = snapshotTree(dir);
  const result = await cli(['init', dir, '--yes', '--no-install', '--no-verify', '--api-key', 'sk_test_large0000000', '--client-id', 'client_x'], { env: { AUTHKIT_DJANGO_STATE_DIR: stateDir() } });
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /mysite\/settings\.py is too large to edit safely \(3\.0 MB; the limit is 3 MB\); nothing was written/);
  assert.doesNotMatch(result.stderr, /internal error/);
  assert.deepEqual(snapshotTree(dir), snapshot);
});
