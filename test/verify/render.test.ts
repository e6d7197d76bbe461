// The renderer, the JSON shape, the report parser and the secret masking: pure
// functions, tested on hand-built results (no Python needed for these).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { palette } from '../../src/util/output.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactDeep, redactSecrets, secretsFromDotenv } from '../../src/util/secrets.js';
import {
  checksJson,
  countChecks,
  projectChecksJson,
  renderChecks,
  renderProjectChecks,
  renderSummary,
} from '../../src/verify/render.js';
import { parseReport } from '../../src/verify/run-project-checks.js';
import type { CheckResult, ProjectChecksReport } from '../../src/verify/types.js';

const CHECKS: CheckResult[] = [
  { id: 'import-workos', status: 'pass', message: 'workos 10.8.0 is importable', detail: 'not shown for a pass' },
  {
    id: 'api-key',
    status: 'fail',
    message: 'settings.WORKOS_API_KEY is empty',
    file: '/proj/mysite/settings.py',
    line: 131,
    fix: 'add WORKOS_API_KEY=sk_... to .env',
  },
  {
    id: 'django-check',
    status: 'warn',
    message: 'python manage.py check reports warnings',
    detail: ['WARNINGS:', ...Array.from({ length: 14 }, (_, i) => `line ${i + 1}`)].join('\n'),
  },
  { id: 'login-redirect', status: 'skip', message: 'settings did not load' },
];

const REPORT: ProjectChecksReport = {
  interpreter: '/proj/.venv/bin/python',
  ran: true,
  python: '/proj/.venv/bin/python',
  pythonVersion: '3.11.7',
  django: '5.2.19',
  workos: '10.8.0',
  checks: CHECKS,
  dashboard: {
    redirectUri: 'http://localhost:8000/auth/callback/',
    signInEndpoint: 'http://localhost:8000/auth/login/',
    logoutRedirect: 'http://localhost:8000/',
  },
};

test('one line per check; where, detail and fix only under failures and warnings', () => {
  const lines = renderChecks(CHECKS, { palette: palette(false), relativeTo: '/proj' });
  assert.equal(lines[0], '  ✓ workos 10.8.0 is importable [import-workos]');
  assert.equal(lines[1], '  ✗ settings.WORKOS_API_KEY is empty [api-key]');
  assert.equal(lines[2], '      at mysite/settings.py:131');
  assert.equal(lines[3], '      fix: add WORKOS_API_KEY=sk_... to .env');
  assert.equal(lines[4], '  ! python manage.py check reports warnings [django-check]');
  assert.equal(lines[5], '      WARNINGS:');
  // 15 detail lines, 12 shown, then how many were left out.
  assert.equal(lines[16], '      line 11');
  assert.equal(lines[17], '      ... 3 more lines');
  assert.equal(lines[18], '  - settings did not load [login-redirect]');
  assert.equal(lines.length, 19);
  assert.ok(!lines.join('\n').includes('not shown for a pass'));
});

test('colors come from the palette: red failures, green passes, yellow warnings', () => {
  const lines = renderChecks(CHECKS, { palette: palette(true) });
  assert.ok(lines[0]!.includes('\u001b[32m✓\u001b[39m'));
  assert.ok(lines[1]!.includes('\u001b[31m✗\u001b[39m'));
  assert.ok(lines.some((l) => l.includes('\u001b[33m!\u001b[39m')));
  // Without relativeTo, the path stays absolute.
  assert.ok(lines.some((l) => l.includes('/proj/mysite/settings.py:131')));
});

test('the summary counts each status', () => {
  assert.deepEqual(countChecks(CHECKS), { pass: 1, fail: 1, warn: 1, skip: 1 });
  assert.equal(renderSummary(CHECKS, palette(false)), '1 passed, 1 failed, 1 warning, 1 skipped');
  assert.equal(renderSummary([CHECKS[0]!], palette(false)), '1 passed');
});

test('the full report ends with the dashboard values', () => {
  const lines = renderProjectChecks(REPORT, { palette: palette(false), relativeTo: '/proj' });
  assert.equal(lines[0], 'Checks (/proj/.venv/bin/python):');
  assert.deepEqual(lines.slice(-4), [
    'Register in the WorkOS dashboard (Redirects):',
    '  Redirect URI       http://localhost:8000/auth/callback/',
    '  Sign-in endpoint   http://localhost:8000/auth/login/',
    '  Logout redirect    http://localhost:8000/',
  ]);
  const noDashboard = renderProjectChecks({ ...REPORT, dashboard: null }, { palette: palette(false) });
  assert.ok(!noDashboard.join('\n').includes('Register in the WorkOS dashboard'));
});

test('the JSON shape: every field present, paths relative to the folder named', () => {
  const json = checksJson(CHECKS, '/proj');
  assert.deepEqual(json[1], {
    id: 'api-key',
    status: 'fail',
    message: 'settings.WORKOS_API_KEY is empty',
    file: 'mysite/settings.py',
    line: 131,
    fix: 'add WORKOS_API_KEY=sk_... to .env',
    detail: null,
  });
  assert.equal(checksJson([{ ...CHECKS[1]!, file: '/elsewhere/settings.py' }], '/proj')[0]!.file, '/elsewhere/settings.py');
  const full = projectChecksJson(REPORT, '/proj');
  assert.deepEqual(full.summary, { pass: 1, fail: 1, warn: 1, skip: 1 });
  assert.equal(full.workos, '10.8.0');
  assert.deepEqual(full.dashboard, REPORT.dashboard);
});

test('parseReport keeps well-formed checks, drops the rest, and takes the last line', () => {
  const stdout = [
    'something a sitecustomize printed',
    JSON.stringify({
      version: 1,
      python: '/p/bin/python',
      checks: [
        { id: 'a', status: 'pass', message: 'ok', line: 3 },
        { id: 'b', status: 'exploded', message: 'unknown status' },
        { id: 'c', message: 'no status' },
        { id: 'd', status: 'warn', message: 'w', line: 'not a number', fix: 'do it' },
      ],
      dashboard: { redirectUri: 'x' },
    }),
    '',
  ].join('\n');
  const parsed = parseReport(stdout);
  assert.ok(parsed);
  assert.deepEqual(parsed.checks, [
    { id: 'a', status: 'pass', message: 'ok', line: 3 },
    { id: 'd', status: 'warn', message: 'w', fix: 'do it' },
  ]);
  assert.equal(parsed.python, '/p/bin/python');
  assert.equal(parsed.django, null);
  assert.equal(parsed.dashboard, null);
  assert.equal(parseReport('Traceback (most recent call last):'), null);
  assert.equal(parseReport('[1, 2]'), null);
});

test('redaction masks API keys by pattern and known secrets by value', () => {
  assert.equal(redactSecrets('key=sk_test_abcDEF123 and sk_live_zz9'), 'key=sk_test_… and sk_live_…');
  assert.equal(redactSecrets('db password hunter2hunter2!', ['hunter2hunter2']), 'db password [redacted]!');
  assert.equal(redactSecrets('sk_odd_format_key_123', ['sk_odd_format_key_123']), 'sk_…');
  // Short values are not treated as secrets: masking them would garble ordinary words.
  assert.equal(redactSecrets('a true value', ['true']), 'a true value');
  assert.deepEqual(redactDeep({ a: ['x sk_test_abc'], b: 3, c: null }, []), { a: ['x sk_test_…'], b: 3, c: null });
});

test('secrets are read from a .env file: sensitive names only, quotes removed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'authkit-redact-'));
  try {
    const file = join(dir, '.env');
    writeFileSync(
      file,
      [
        '# comment',
        'WORKOS_API_KEY="sk_fake_quoted_123456"',
        "export DB_PASSWORD='pa55word-long'",
        'WORKOS_CLIENT_ID=client_emulate',
        'DEBUG=true',
        'EMPTY_TOKEN=',
      ].join('\r\n'),
    );
    assert.deepEqual(secretsFromDotenv(file), ['sk_fake_quoted_123456', 'pa55word-long']);
    assert.deepEqual(secretsFromDotenv(join(dir, 'missing.env')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
