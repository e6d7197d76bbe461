import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { EditRefused, checkEdit } from '../../src/python/checked-edit.js';
import { findAssignments } from '../../src/python/locate.js';
import { loadPythonParser, parsePython } from '../../src/python/parser.js';
import { addImport, appendBlock, insertAfterWithBlankLines, type ImportToAdd } from '../../src/python/statements.js';
import { pythonSyntaxErrors, onlyInserted } from '../helpers/python-ast.js';

before(async () => {
  await loadPythonParser();
});

const OS: ImportToAdd = { statement: 'import os', module: 'os', section: 'stdlib' };
const DOTENV: ImportToAdd = { statement: 'from dotenv import load_dotenv', module: 'dotenv', section: 'thirdparty' };

function withImport(source: string, add: ImportToAdd, firstParty?: Set<string>): string {
  return checkEdit(source, addImport(source, parsePython(source), add, firstParty), 'settings.py');
}

describe('addImport', () => {
  const startproject = '"""\nDjango settings.\n"""\n\nfrom pathlib import Path\n\n# Build paths\nBASE_DIR = Path(__file__).resolve().parent.parent\n';

  test('stdlib straight import goes before the from-imports of the stdlib group', () => {
    assert.equal(
      withImport(startproject, OS),
      '"""\nDjango settings.\n"""\n\nimport os\nfrom pathlib import Path\n\n# Build paths\nBASE_DIR = Path(__file__).resolve().parent.parent\n',
    );
  });

  test('a third-party import starts its own group after the stdlib group', () => {
    assert.equal(
      withImport(startproject, DOTENV),
      '"""\nDjango settings.\n"""\n\nfrom pathlib import Path\n\nfrom dotenv import load_dotenv\n\n# Build paths\nBASE_DIR = Path(__file__).resolve().parent.parent\n',
    );
  });

  test('sorted into an existing third-party group', () => {
    const source = 'import os\n\nimport dj_database_url\nfrom decouple import config\nfrom environ import Env\n\nX = 1\n';
    assert.equal(
      withImport(source, DOTENV),
      'import os\n\nimport dj_database_url\nfrom decouple import config\nfrom dotenv import load_dotenv\nfrom environ import Env\n\nX = 1\n',
    );
  });

  test('straight import sorted among straight imports', () => {
    const source = 'import json\nimport sys\nfrom pathlib import Path\n\nX = 1\n';
    assert.equal(withImport(source, OS), 'import json\nimport os\nimport sys\nfrom pathlib import Path\n\nX = 1\n');
  });

  test('third-party group goes before a local group when there is no other', () => {
    const source = 'from .base import *  # noqa\n\nDEBUG = True\n';
    assert.equal(withImport(source, DOTENV), 'from dotenv import load_dotenv\n\nfrom .base import *  # noqa\n\nDEBUG = True\n');
  });

  test('first-party packages count as local', () => {
    const source = 'import os\n\nfrom myproject.common import X\n\nY = 1\n';
    assert.equal(
      withImport(source, DOTENV, new Set(['myproject'])),
      'import os\n\nfrom dotenv import load_dotenv\n\nfrom myproject.common import X\n\nY = 1\n',
    );
  });

  test('no imports: after the docstring, set apart', () => {
    assert.equal(withImport('"""Settings."""\nDEBUG = True\n', OS), '"""Settings."""\n\nimport os\n\nDEBUG = True\n');
  });

  test('no imports, no docstring: after the header comments', () => {
    assert.equal(withImport('# -*- coding: utf-8 -*-\nDEBUG = True\n', OS), '# -*- coding: utf-8 -*-\nimport os\n\nDEBUG = True\n');
  });

  test('CRLF and BOM are kept', () => {
    const source = '\uFEFFfrom pathlib import Path\r\n\r\nX = 1\r\n';
    assert.equal(withImport(source, DOTENV), '\uFEFFfrom pathlib import Path\r\n\r\nfrom dotenv import load_dotenv\r\n\r\nX = 1\r\n');
  });
});

describe('insertAfterWithBlankLines', () => {
  test('after BASE_DIR, before a blank line', () => {
    const source = 'BASE_DIR = Path(__file__).resolve().parent.parent\n\n\n# Quick-start\nDEBUG = True\n';
    const node = findAssignments(parsePython(source), 'BASE_DIR')[0]!.statement;
    assert.equal(
      insertAfterWithBlankLines(source, node, 'load_dotenv(BASE_DIR / ".env")'),
      'BASE_DIR = Path(__file__).resolve().parent.parent\n\nload_dotenv(BASE_DIR / ".env")\n\n\n# Quick-start\nDEBUG = True\n',
    );
  });

  test('code right after gets a blank line too', () => {
    const source = 'BASE_DIR = 1\nDEBUG = True\n';
    const node = findAssignments(parsePython(source), 'BASE_DIR')[0]!.statement;
    assert.equal(insertAfterWithBlankLines(source, node, 'load_dotenv()'), 'BASE_DIR = 1\n\nload_dotenv()\n\nDEBUG = True\n');
  });
});

describe('appendBlock', () => {
  const block = "WORKOS_API_KEY = os.environ.get('WORKOS_API_KEY', '')";

  test('at the end, after one blank line', () => {
    const source = "DEFAULT_AUTO_FIELD = 'django.db.models.BigAutoField'\n";
    assert.equal(appendBlock(source, parsePython(source), block), `${source}\n${block}\n`);
  });

  test('a file without a final newline', () => {
    assert.equal(appendBlock('X = 1', parsePython('X = 1'), block), `X = 1\n\n${block}\n`);
  });

  test('trailing blank lines are not multiplied', () => {
    assert.equal(appendBlock('X = 1\n\n\n', parsePython('X = 1\n\n\n'), block), `X = 1\n\n\n${block}\n`);
  });

  test('before a trailing local-settings import and its comment', () => {
    const source = 'X = 1\n\n# Local overrides\ntry:\n    from .local import *  # noqa\nexcept ImportError:\n    pass\n';
    assert.equal(
      appendBlock(source, parsePython(source), block),
      `X = 1\n\n${block}\n\n# Local overrides\ntry:\n    from .local import *  # noqa\nexcept ImportError:\n    pass\n`,
    );
  });

  test('CRLF', () => {
    const source = 'X = 1\r\n';
    assert.equal(appendBlock(source, parsePython(source), block), `X = 1\r\n\r\n${block}\r\n`);
  });

  test('every result is valid Python and only inserts', () => {
    const sources = ['X = 1\n', 'X = 1', 'X = 1\n\ntry:\n    from .local_settings import *\nexcept ImportError:\n    pass\n'];
    const outs = sources.map((s) => appendBlock(s, parsePython(s), block));
    assert.deepEqual(pythonSyntaxErrors(outs), outs.map(() => null));
    sources.forEach((s, i) => assert.ok(onlyInserted(s, outs[i]!)));
  });
});

describe('checkEdit', () => {
  test('refuses an edit that breaks the syntax, naming the line', () => {
    assert.throws(
      () => checkEdit('X = [1]\nY = 2\n', 'X = [1\nY = 2\n', 'proj/settings.py'),
      (error: unknown) => error instanceof EditRefused && error.file === 'proj/settings.py' && /invalid Python/.test(error.message),
    );
  });

  test('accepts a valid edit', () => {
    assert.equal(checkEdit('X = [1]\n', 'X = [1, 2]\n', 'a.py'), 'X = [1, 2]\n');
  });
});
