// doctor's runner: every check isolated (one that throws is reported as failing with its
// error, the others still run), findings that only follow from an earlier failure held
// back, and the registry in an order where that works. The checks given to the runner
// here are small stand-ins written for these tests (the runner's job is independent of
// what a check looks at); the registry test reads the real list.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DoctorContext } from '../../src/doctor/context.js';
import { DOCTOR_CHECKS } from '../../src/doctor/registry.js';
import { applyPrerequisites, runDoctorChecks } from '../../src/doctor/runner.js';
import { djangoCheckExplainedBy } from '../../src/doctor/runtime-checks.js';
import type { DoctorCheck, Outcome } from '../../src/doctor/types.js';
import type { ProjectModel } from '../../src/discover/model.js';

const ctx = new DoctorContext({} as ProjectModel, { env: {}, offline: true });

function standIn(id: string, outcome: Outcome | Error, after: string[] = []): DoctorCheck {
  return {
    id,
    family: 'django',
    after,
    run: async () => {
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
}

const pass: Outcome = { status: 'pass', message: 'fine' };
const fail: Outcome = { status: 'fail', message: 'broken' };

describe('the runner', () => {
  test('a check that throws is that check failing, with its error; the others still run', async () => {
    const results = await runDoctorChecks(
      [standIn('first', pass), standIn('crashing', new TypeError("Cannot read properties of undefined (reading 'file')")), standIn('last', fail)],
      ctx,
    );
    assert.deepEqual(results.map((r) => [r.id, r.status]), [['first', 'pass'], ['crashing', 'fail'], ['last', 'fail']]);
    assert.equal(results[1]!.message, "the crashing check crashed: Cannot read properties of undefined (reading 'file')");
    assert.match(results[1]!.detail ?? '', /TypeError/);
  });

  test('a finding that follows from a failed prerequisite is held back, naming the root failure', () => {
    const checks = [standIn('a', fail), standIn('b', fail, ['a']), standIn('c', { status: 'warn', message: 'w' }, ['b']), standIn('d', pass, ['a'])];
    const results = applyPrerequisites(checks, checks.map((c, i) => ({ id: c.id, ...[fail, fail, { status: 'warn' as const, message: 'w' }, pass][i]! })));
    assert.deepEqual(results.map((r) => [r.id, r.status, r.blockedBy ?? null]), [
      ['a', 'fail', null],
      ['b', 'skip', ['a']],
      // Through b, to the root: a.
      ['c', 'skip', ['a']],
      // What passes anyway is reported as passing.
      ['d', 'pass', null],
    ]);
    assert.equal(results[1]!.message, 'not checked while a fails: fix that first');
    assert.equal(results[1]!.detail, 'broken', 'its own finding is kept');
  });

  test('a warning does not hold anything back', () => {
    const checks = [standIn('a', { status: 'warn', message: 'w' }), standIn('b', fail, ['a'])];
    const results = applyPrerequisites(checks, [{ id: 'a', status: 'warn', message: 'w' }, { id: 'b', ...fail }]);
    assert.deepEqual(results.map((r) => r.status), ['warn', 'fail']);
  });

  test("manage.py check is held back only when every error it lists is another check's failure", () => {
    const e410 = {
      status: 'fail' as const,
      message: 'python manage.py check reports errors',
      detail: "?: (admin.E410) 'django.contrib.sessions.middleware.SessionMiddleware' must be in MIDDLEWARE",
    };
    assert.deepEqual(djangoCheckExplainedBy(e410, new Set(['sessions-setup'])), ['sessions-setup']);
    assert.equal(djangoCheckExplainedBy(e410, new Set()), null);
    const more = { ...e410, detail: `${e410.detail}\n?: (caches.E001) You must define a 'default' cache` };
    assert.equal(djangoCheckExplainedBy(more, new Set(['sessions-setup'])), null);
  });

  test('the registry lists every check after the checks it depends on, each id once', () => {
    const seen = new Set<string>();
    for (const check of DOCTOR_CHECKS) {
      assert.ok(!seen.has(check.id), `${check.id} twice`);
      for (const id of check.after ?? []) assert.ok(seen.has(id), `${check.id} depends on ${id}, which comes later or does not exist`);
      seen.add(check.id);
    }
  });
});
