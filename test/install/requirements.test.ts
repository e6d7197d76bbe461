// Unit tests for the requirements-file plan (pure text in, text out: no fakes needed).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizePackageName, planRequirements, requirementName } from '../../src/integrate/requirements.js';

const PACKAGES = ['workos', 'python-dotenv'];

/** The plan adds packages and produces exactly `expected`; planning the result again changes nothing. */
function transformed(input: string, expected: string, added: string[] = PACKAGES): void {
  const plan = planRequirements(input, PACKAGES);
  assert.equal(plan.refusal, null);
  assert.equal(plan.text, expected);
  assert.equal(plan.changed, true);
  assert.deepEqual(plan.added, added);
  assert.deepEqual(plan.alreadyPresent, PACKAGES.filter((name) => !added.includes(name)));
  const again = planRequirements(plan.text, PACKAGES);
  assert.equal(again.changed, false, 're-planning the result must be a no-op');
  assert.equal(again.text, plan.text);
}

/** The file already names both packages: the very same text comes back. */
function noOp(input: string): void {
  const plan = planRequirements(input, PACKAGES);
  assert.equal(plan.changed, false);
  assert.equal(plan.text, input);
  assert.deepEqual(plan.added, []);
  assert.deepEqual(plan.alreadyPresent, PACKAGES);
  assert.equal(plan.refusal, null);
  assert.equal(plan.placement, null);
}

describe('normalizePackageName (PEP 503)', () => {
  test('lowercases and folds runs of - _ . into one -', () => {
    assert.equal(normalizePackageName('Python_Dotenv'), 'python-dotenv');
    assert.equal(normalizePackageName('python.dotenv'), 'python-dotenv');
    assert.equal(normalizePackageName('Python__-.Dotenv'), 'python-dotenv');
    assert.equal(normalizePackageName('WorkOS'), 'workos');
  });
});

describe('requirementName', () => {
  test('reads the name through pins, extras, markers and comments', () => {
    assert.equal(requirementName('Python_Dotenv[cli]>=1 ; python_version>"3"'), 'python-dotenv');
    assert.equal(requirementName('workos==10.8.0  # the SDK'), 'workos');
    assert.equal(requirementName('workos (>=5)'), 'workos');
    assert.equal(requirementName('workos; python_version >= "3.8"'), 'workos');
    assert.equal(requirementName('workos @ https://files.example/workos-10.8.0-py3-none-any.whl'), 'workos');
    assert.equal(requirementName('  django>=4.2'), 'django');
  });
  test('names nothing for comments, blank lines and options', () => {
    assert.equal(requirementName('# workos'), null);
    assert.equal(requirementName('   '), null);
    assert.equal(requirementName('-r base.txt'), null);
    assert.equal(requirementName('-c constraints.txt'), null);
    assert.equal(requirementName('--index-url https://pypi.example/simple'), null);
    assert.equal(requirementName('-e .'), null);
  });
  test('reads editables, URLs and archives by their egg fragment or file name', () => {
    assert.equal(requirementName('-e git+https://github.com/acme/workos-fork.git#egg=workos'), 'workos');
    assert.equal(requirementName('--editable=git+https://host/x.git#egg=Python_Dotenv'), 'python-dotenv');
    assert.equal(requirementName('./wheels/workos-10.8.0-py3-none-any.whl'), 'workos');
    assert.equal(requirementName('https://files.example/python_dotenv-1.2.4-py3-none-any.whl'), 'python-dotenv');
    assert.equal(requirementName('vendor/python-dotenv-1.2.4.tar.gz'), 'python-dotenv');
    assert.equal(requirementName('https://example.com/archive.zip'), null);
  });
});

describe('planRequirements: adds them', () => {
  test('appends, in the order given, when the lines are not sorted', () => {
    transformed('requests\ndjango>=4.2\n', 'requests\ndjango>=4.2\nworkos\npython-dotenv\n');
  });

  test('says where they went', () => {
    assert.equal(planRequirements('requests\ndjango\n', PACKAGES).placement, 'appended');
    assert.equal(planRequirements('asgiref\ndjango\n', PACKAGES).placement, 'sorted');
  });

  test('inserts each in its sorted place when the requirement lines are sorted', () => {
    transformed(
      'asgiref==3.8.1\ndjango==5.2\nrequests==2.32\nsqlparse==0.5\n',
      'asgiref==3.8.1\ndjango==5.2\npython-dotenv\nrequests==2.32\nsqlparse==0.5\nworkos\n',
    );
  });

  test('sorted order is read case- and separator-insensitively (PEP 503)', () => {
    transformed('asgiref\nDjango\nPyJWT\nRequests\n', 'asgiref\nDjango\nPyJWT\npython-dotenv\nRequests\nworkos\n');
  });

  test('a name that sorts first goes before the first requirement, after a header comment', () => {
    transformed('# runtime\nrequests\nsqlparse\n', '# runtime\npython-dotenv\nrequests\nsqlparse\nworkos\n');
  });

  test("a comment above a requirement stays with it: the new line goes after the previous requirement", () => {
    transformed(
      'django\n# HTTP client for the billing API\nrequests\n',
      'django\npython-dotenv\n# HTTP client for the billing API\nrequests\nworkos\n',
    );
  });

  test('a name that sorts last goes right after the last requirement, before trailing comments', () => {
    transformed('asgiref\ndjango\n\n# dev tools live in requirements-dev.txt\n',
      'asgiref\ndjango\npython-dotenv\nworkos\n\n# dev tools live in requirements-dev.txt\n');
  });

  test('options between sorted requirements do not break the order; they are left as they are', () => {
    transformed(
      '-r base.txt\n-c constraints.txt\nasgiref\n-e ./libs/billing\ndjango\n--index-url https://pypi.org/simple\n',
      '-r base.txt\n-c constraints.txt\nasgiref\n-e ./libs/billing\ndjango\npython-dotenv\nworkos\n--index-url https://pypi.org/simple\n',
    );
  });

  test('a single requirement shows no order: append', () => {
    transformed('django>=4.2\n', 'django>=4.2\nworkos\npython-dotenv\n');
  });

  test('an empty file gets the two lines', () => {
    transformed('', 'workos\npython-dotenv\n');
  });

  test('a file of comments only gets the lines appended', () => {
    transformed('# Add the project dependencies here.\n', '# Add the project dependencies here.\nworkos\npython-dotenv\n');
  });

  test('adds only the missing one when the other is there under any pin', () => {
    transformed('workos==5.46.0\ndjango\n', 'workos==5.46.0\ndjango\npython-dotenv\n', ['python-dotenv']);
    transformed('django\nworkos==5.46.0\n', 'django\npython-dotenv\nworkos==5.46.0\n', ['python-dotenv']);
    transformed('django\npython-dotenv>=1.0\nrequests\n', 'django\npython-dotenv>=1.0\nrequests\nworkos\n', ['workos']);
  });

  test('a name only mentioned in a comment is not present', () => {
    transformed('# TODO: workos\nrequests\ndjango\n', '# TODO: workos\nrequests\ndjango\nworkos\npython-dotenv\n');
  });

  test('packages whose names merely start the same are different packages', () => {
    transformed('workos-extras\npython-dotenv-vault\n', 'workos-extras\npython-dotenv-vault\nworkos\npython-dotenv\n', PACKAGES);
  });
});

describe("planRequirements: keeps the file's style", () => {
  test('CRLF line endings stay CRLF, new lines included', () => {
    transformed('requests\r\ndjango\r\n', 'requests\r\ndjango\r\nworkos\r\npython-dotenv\r\n');
    transformed('asgiref\r\ndjango\r\n', 'asgiref\r\ndjango\r\npython-dotenv\r\nworkos\r\n');
  });

  test('a BOM stays at the start', () => {
    transformed('\uFEFFrequests\ndjango\n', '\uFEFFrequests\ndjango\nworkos\npython-dotenv\n');
    transformed('\uFEFFasgiref\ndjango\n', '\uFEFFasgiref\ndjango\npython-dotenv\nworkos\n');
  });

  test('a missing final newline gets one only because a line is appended; the file still ends without one', () => {
    transformed('requests\ndjango', 'requests\ndjango\nworkos\npython-dotenv');
    transformed('requests\r\ndjango', 'requests\r\ndjango\r\nworkos\r\npython-dotenv');
  });

  test('a missing final newline is left alone when the new lines go in the middle', () => {
    transformed('asgiref\nzope-interface', 'asgiref\npython-dotenv\nworkos\nzope-interface');
  });

  test('a sorted insert at the very end of a file without a final newline', () => {
    transformed('asgiref\ndjango\nsqlparse', 'asgiref\ndjango\npython-dotenv\nsqlparse\nworkos');
  });

  test('comments, inline comments and option lines are untouched', () => {
    const input = '# Production requirements\n-r base.txt\nrequests  # pinned below\n-e git+https://github.com/acme/lib.git#egg=acme-lib\ndjango==5.2 --no-binary django\n';
    transformed(input, `${input}workos\npython-dotenv\n`);
  });

  test('continuation lines are kept whole; a new line never lands inside one', () => {
    transformed(
      'asgiref\ndjango \\\n    >=4.2 \\\n    ; python_version >= "3.10"\nrequests\n',
      'asgiref\ndjango \\\n    >=4.2 \\\n    ; python_version >= "3.10"\npython-dotenv\nrequests\nworkos\n',
    );
  });

  test('a dangling continuation at the end of the file is closed by an empty line before appending', () => {
    const plan = planRequirements('requests\ndjango \\\n', PACKAGES);
    assert.equal(plan.text, 'requests\ndjango \\\n\nworkos\npython-dotenv\n');
    assert.equal(requirementName('django '), 'django');
    assert.deepEqual(planRequirements(plan.text, PACKAGES).alreadyPresent, PACKAGES);
  });

  test('a comment line ending in a backslash does not continue (as pip reads it)', () => {
    transformed('requests\n# see \\\ndjango\n', 'requests\n# see \\\ndjango\nworkos\npython-dotenv\n');
  });

  test('every original byte survives: removing the added lines gives the input back', () => {
    const input = '\uFEFF# deps\r\nasgiref==3.8  # core\r\n\r\n-r common.txt\r\ndjango>=4.2,<6\r\nsqlparse';
    const plan = planRequirements(input, PACKAGES);
    const back = plan.text.replace('python-dotenv\r\n', '').replace('\r\nworkos', '');
    assert.equal(back, input);
  });
});

describe('planRequirements: already there, no-op', () => {
  test('both listed plainly: byte-identical', () => {
    noOp('django\npython-dotenv\nworkos\n');
  });

  test('both listed with pins, extras, markers, odd spelling: byte-identical', () => {
    noOp('Django>=4.2\nPython_Dotenv[cli]>=1 ; python_version>"3"\nWorkOS~=10.8  # SSO\n');
  });

  test('listed as URL, editable or wheel requirements', () => {
    noOp('-e git+https://github.com/acme/workos-python.git#egg=workos\n./vendor/python_dotenv-1.2.4-py3-none-any.whl\n');
    noOp('workos @ https://files.example/workos-10.8.0.tar.gz\npython.dotenv\n');
  });

  test('listed across continuation lines', () => {
    noOp('workos \\\n    ==10.8.0\npython-dotenv \\\n  --config-settings=x=y\n');
  });

  test('already there in a CRLF, BOM, no-final-newline file: byte-identical', () => {
    noOp('\uFEFFworkos==10.8.0\r\npython-dotenv==1.2.4');
  });
});

describe('planRequirements: refuses safely', () => {
  test('hash-pinned files (pip-compile --generate-hashes) are not edited', () => {
    const input =
      '# This file is autogenerated by pip-compile\ndjango==5.2.19 \\\n    --hash=sha256:aaaa \\\n    --hash=sha256:bbbb\n';
    const plan = planRequirements(input, PACKAGES);
    assert.equal(plan.changed, false);
    assert.equal(plan.text, input);
    assert.deepEqual(plan.added, []);
    assert.equal(plan.refusal?.code, 'requirements-hash-pinned');
    assert.equal(plan.refusal?.line, 2);
    assert.match(plan.refusal?.message ?? '', /requirements\.in/);
    assert.match(plan.refusal?.message ?? '', /workos and python-dotenv/);
  });

  test('a hash-pinned file that already lists both is simply done', () => {
    const input = 'workos==10.8.0 --hash=sha256:aaaa\npython-dotenv==1.2.4 --hash=sha256:bbbb\n';
    noOp(input);
  });
});
