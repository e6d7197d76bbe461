// `sdk-calls`: the project's calls to the workos SDK, checked against the SDK that is
// really installed: the newest (.venvs/dj52, workos 10.x) and the last 5.x (.venvs/workos5).
// The same code is right with one and wrong with the other.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { caseOf, check, doctor, initedProject, problems, VENVS } from './support.js';

const SEALED_V5 = [
  'from workos import WorkOSClient',
  '',
  '',
  'def sign_in(code, password):',
  '    client = WorkOSClient(api_key="sk_test_x", client_id="client_x")',
  '    return client.user_management.authenticate_with_code(',
  '        code=code, session={"seal_session": True, "cookie_password": password}',
  '    )',
  '',
].join('\n');

const SEALED_V6 = [
  'from workos import WorkOSClient',
  'from workos.session import seal_session_from_auth_response',
  '',
  '',
  'def load(data, password):',
  '    client = WorkOSClient(api_key="sk_test_x", client_id="client_x")',
  '    return client.user_management.load_sealed_session(session_data=data, cookie_password=password)',
  '',
].join('\n');

describe('doctor reads the SDK calls against the installed workos', { concurrency: 3 }, () => {
  before(() => initedProject('5.2'));

  test("init's views use only calls both SDK lines have", async () => {
    const dir = await caseOf('5.2');
    for (const venv of [VENVS.dj52, VENVS.workos5]) {
      const { json } = await doctor(dir, venv, ['--offline']);
      assert.deepEqual(problems(json.checks), {}, venv);
      assert.match(check(json.checks, 'sdk-calls').message, /^workos \d+\.\d+\.\d+: the \d+ SDK calls in the project exist in it$/);
    }
  });

  test('session= on authenticate_with_code: right for workos 5, wrong for workos 6 and later', async () => {
    const dir = await caseOf('5.2');
    writeFileSync(join(dir, 'mysite', 'sealed.py'), SEALED_V5);
    const v5 = await doctor(dir, VENVS.workos5, ['--offline']);
    assert.equal(check(v5.json.checks, 'sdk-calls').status, 'pass');
    const v10 = await doctor(dir, VENVS.dj52, ['--offline']);
    const calls = check(v10.json.checks, 'sdk-calls');
    assert.equal(calls.status, 'fail');
    assert.match(calls.message, /^workos 10\.\d+\.\d+ is installed, but mysite\/sealed\.py:6 passes session= to user_management\.authenticate_with_code\(\)/);
    assert.deepEqual([calls.file, calls.line], ['mysite/sealed.py', 6]);
  });

  test('workos 6+ session helpers on workos 5: the import and the keyword are named', async () => {
    const dir = await caseOf('5.2');
    writeFileSync(join(dir, 'mysite', 'sealed.py'), SEALED_V6);
    const v10 = await doctor(dir, VENVS.dj52, ['--offline']);
    assert.equal(check(v10.json.checks, 'sdk-calls').status, 'pass');
    const v5 = await doctor(dir, VENVS.workos5, ['--offline']);
    const calls = check(v5.json.checks, 'sdk-calls');
    assert.equal(calls.status, 'fail');
    assert.match(calls.message, /mysite\/sealed\.py:2 imports seal_session_from_auth_response from workos\.session, which workos 5\.46\.0 does not have/);
    assert.match(calls.detail ?? '', /mysite\/sealed\.py:7 passes session_data= to user_management\.load_sealed_session\(\), which workos 5\.46\.0 does not accept/);
  });
});
