import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { findAssignments, sequenceLiteral } from '../../src/python/locate.js';
import { loadPythonParser, parsePython } from '../../src/python/parser.js';
import { insertIntoSequence } from '../../src/python/splice.js';
import { checkEdit } from '../../src/python/checked-edit.js';
import { literalValues, onlyInserted } from '../helpers/python-ast.js';

before(async () => {
  await loadPythonParser();
});

interface Case {
  name: string;
  source: string;
  element: string;
  at: number | 'end';
  expected: string;
}

const NEW = "'new.app'";

const cases: Case[] = [
  {
    name: 'one line list, append',
    source: "X = ['a', 'b']\n",
    element: NEW,
    at: 'end',
    expected: "X = ['a', 'b', 'new.app']\n",
  },
  {
    name: 'one line list, first',
    source: "X = ['a', 'b']\n",
    element: NEW,
    at: 0,
    expected: "X = ['new.app', 'a', 'b']\n",
  },
  {
    name: 'one line list without spaces keeps its separator',
    source: "X = ['a','b']\n",
    element: NEW,
    at: 1,
    expected: "X = ['a','new.app','b']\n",
  },
  {
    name: 'one line tuple with a single element',
    source: "X = ('a',)\n",
    element: NEW,
    at: 'end',
    expected: "X = ('a', 'new.app',)\n",
  },
  {
    name: 'empty list',
    source: 'X = []\n',
    element: NEW,
    at: 'end',
    expected: "X = ['new.app']\n",
  },
  {
    name: 'empty tuple gets the comma that keeps it a tuple',
    source: 'X = ()\n',
    element: NEW,
    at: 'end',
    expected: "X = ('new.app',)\n",
  },
  {
    name: 'one per line with trailing comma, append',
    source: "X = [\n    'a',\n    'b',\n]\n",
    element: NEW,
    at: 'end',
    expected: "X = [\n    'a',\n    'b',\n    'new.app',\n]\n",
  },
  {
    name: 'one per line without trailing comma, append',
    source: "X = [\n    'a',\n    'b'\n]\n",
    element: NEW,
    at: 'end',
    expected: "X = [\n    'a',\n    'b',\n    'new.app'\n]\n",
  },
  {
    name: 'one per line, in the middle',
    source: "X = [\n    'a',\n    'b',\n]\n",
    element: NEW,
    at: 1,
    expected: "X = [\n    'a',\n    'new.app',\n    'b',\n]\n",
  },
  {
    name: 'one per line, first',
    source: "X = [\n    'a',\n    'b',\n]\n",
    element: NEW,
    at: 0,
    expected: "X = [\n    'new.app',\n    'a',\n    'b',\n]\n",
  },
  {
    name: 'inline comments stay on their element',
    source: "X = [\n    'a',  # first\n    # about b\n    'b'  # second\n]\n",
    element: NEW,
    at: 'end',
    expected: "X = [\n    'a',  # first\n    # about b\n    'b',  # second\n    'new.app'\n]\n",
  },
  {
    name: 'after an element followed by a comment line',
    source: "X = [\n    'a',\n    # 'disabled.app',\n    'b',\n]\n",
    element: NEW,
    at: 1,
    expected: "X = [\n    'a',\n    'new.app',\n    # 'disabled.app',\n    'b',\n]\n",
  },
  {
    name: 'CRLF stays CRLF',
    source: "X = (\r\n    'a',\r\n    'b',\r\n)\r\n",
    element: NEW,
    at: 'end',
    expected: "X = (\r\n    'a',\r\n    'b',\r\n    'new.app',\r\n)\r\n",
  },
  {
    name: 'tabs stay tabs',
    source: "X = [\n\t'a',\n\t'b',\n]\n",
    element: NEW,
    at: 1,
    expected: "X = [\n\t'a',\n\t'new.app',\n\t'b',\n]\n",
  },
  {
    name: 'BOM stays',
    source: "\uFEFFX = [\n    'a',\n]\n",
    element: NEW,
    at: 'end',
    expected: "\uFEFFX = [\n    'a',\n    'new.app',\n]\n",
  },
  {
    name: 'non-ASCII before the edit point',
    source: "# Réglages — 設定 😀\nX = ['ä', 'b']\n",
    element: NEW,
    at: 'end',
    expected: "# Réglages — 設定 😀\nX = ['ä', 'b', 'new.app']\n",
  },
  {
    name: 'hanging layout, append before the closing bracket on the last line',
    source: "X = ['a',\n     'b']\n",
    element: NEW,
    at: 'end',
    expected: "X = ['a',\n     'b',\n     'new.app']\n",
  },
  {
    name: 'hanging layout, first',
    source: "X = ['a',\n     'b']\n",
    element: NEW,
    at: 0,
    expected: "X = ['new.app',\n     'a',\n     'b']\n",
  },
  {
    name: 'several elements on a line',
    source: "X = [\n    'a', 'b',\n    'c',\n]\n",
    element: NEW,
    at: 1,
    expected: "X = [\n    'a', 'new.app', 'b',\n    'c',\n]\n",
  },
  {
    name: 'double quotes and a parenthesised tuple',
    source: 'X = (\n    "a",\n    "b"\n)\n',
    element: '"new.app"',
    at: 'end',
    expected: 'X = (\n    "a",\n    "b",\n    "new.app"\n)\n',
  },
  {
    name: 'empty multi-line list',
    source: 'X = [\n]\n',
    element: NEW,
    at: 'end',
    expected: "X = [\n    'new.app',\n]\n",
  },
  {
    name: 'annotated assignment',
    source: "X: list[str] = [\n    'a',\n]\n",
    element: NEW,
    at: 'end',
    expected: "X: list[str] = [\n    'a',\n    'new.app',\n]\n",
  },
];

function run(c: Case): string {
  const tree = parsePython(c.source);
  const assignment = findAssignments(tree, 'X')[0];
  assert.ok(assignment, 'X is assigned');
  const seq = sequenceLiteral(assignment.value);
  assert.ok(seq, 'X is a list or tuple literal');
  const at = c.at === 'end' ? seq.elements.length : c.at;
  return checkEdit(c.source, insertIntoSequence(c.source, seq, c.element, at), 'settings.py');
}

describe('insertIntoSequence', () => {
  const outputs = new Map<string, string>();

  for (const c of cases) {
    test(c.name, () => {
      const out = run(c);
      outputs.set(c.name, out);
      assert.equal(out, c.expected);
      assert.ok(onlyInserted(c.source, out), 'every original byte is still there, in order');
    });
  }

  test('Python reads every result as the original list plus exactly the new element', () => {
    const items = cases.flatMap((c) => [
      { source: c.source, name: 'X' },
      { source: outputs.get(c.name) ?? run(c), name: 'X' },
    ]);
    const values = literalValues(items);
    cases.forEach((c, i) => {
      const before = values[2 * i]!;
      const after = values[2 * i + 1]!;
      assert.equal(after.error, undefined, `${c.name}: ${after.error}`);
      const list = [...(before.value as unknown[])];
      const at = c.at === 'end' ? list.length : c.at;
      list.splice(at, 0, 'new.app');
      assert.deepEqual(after.value, list, c.name);
    });
  });
});
