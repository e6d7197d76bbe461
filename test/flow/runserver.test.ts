// The project's real `manage.py runserver` (a `django-admin startproject` project, Django
// 5.2 from .venvs/bare52) started, polled and stopped by src/flow/runserver.ts: the happy
// path, and each way it can fail to serve, each with its message and no process left.
import assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { PythonInfo } from '../../src/discover/model.js';
import { freePort, isListening } from '../../src/flow/ports.js';
import { RunserverError, startRunserver, type RunserverProject } from '../../src/flow/runserver.js';
import { copyOfStartProject, repoRoot } from '../helpers/django.js';
import { toolEnv } from '../helpers/tools.js';
import { isAlive, runserversFor, venvPython, venvs, waitFor } from './support.js';

const workos = { baseUrl: 'http://127.0.0.1:9', apiKey: 'sk_test_runserverkeynotshown1', clientId: 'client_test' };

function python(venv: string): PythonInfo {
  return { command: [venvPython(venv)], source: 'VIRTUAL_ENV', venv, exists: true };
}

async function project(settingsTail = '', venv = venvs.bare52): Promise<RunserverProject> {
  const dir = await copyOfStartProject('5.2');
  if (settingsTail) appendFileSync(join(dir, 'mysite', 'settings.py'), `\n${settingsTail}\n`);
  return { projectRoot: dir, managePy: join(dir, 'manage.py'), python: python(venv), settingsModule: 'mysite.settings' };
}

async function occupy(port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, exclusive: true }, resolve);
  });
  return server;
}

function assertNothingLeft(dir: string): void {
  assert.deepEqual(runserversFor(dir), [], 'no runserver process may outlive the call');
}

describe('runserver', () => {
  test('starts on localhost, serves with the emulator settings in its environment, stops completely', async () => {
    const p = await project();
    // A view that shows what runserver's environment holds.
    writeFileSync(
      join(p.projectRoot, 'mysite', 'urls.py'),
      [
        'import os',
        'from django.http import JsonResponse',
        'from django.urls import path',
        'def env(request):',
        "    return JsonResponse({k: os.environ.get(k) for k in ('WORKOS_BASE_URL', 'WORKOS_CLIENT_ID', 'PYTHONDONTWRITEBYTECODE')} | {'key_set': bool(os.environ.get('WORKOS_API_KEY'))})",
        "urlpatterns = [path('env/', env)]",
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const server = await startRunserver(p, { port, workos, env: { ...process.env, WORKOS_API_KEY: 'sk_test_userkeyfromshell' } });
    try {
      assert.equal(server.url, `http://localhost:${port}`);
      assert.deepEqual(server.notes, []);
      const answer = await fetch(`http://127.0.0.1:${port}/env/`, { headers: { host: `localhost:${port}` } });
      assert.deepEqual(await answer.json(), { WORKOS_BASE_URL: workos.baseUrl, WORKOS_CLIENT_ID: 'client_test', PYTHONDONTWRITEBYTECODE: '1', key_set: true });
      assert.equal(runserversFor(p.projectRoot).length, 1);
      assert.ok(server.pid && isAlive(server.pid));
    } finally {
      await server.stop();
    }
    assert.ok(!isAlive(server.pid!));
    assert.equal(await isListening(port), false);
    assertNothingLeft(p.projectRoot);
    assert.ok(!server.output().includes(workos.apiKey));
  });

  test('port taken: moves to the next free one and says so', async () => {
    const p = await project();
    const port = await freePort();
    const blocker = await occupy(port);
    try {
      const server = await startRunserver(p, { port, otherPorts: 5, workos });
      try {
        assert.notEqual(server.port, port);
        assert.deepEqual(server.notes, [`port ${port} is in use; using ${server.port}`]);
        assert.equal(await isListening(server.port), true);
      } finally {
        await server.stop();
      }
    } finally {
      blocker.close();
    }
    assertNothingLeft(p.projectRoot);
  });

  test('port taken and no other allowed: a clear error', async () => {
    const p = await project();
    const port = await freePort();
    const blocker = await occupy(port);
    try {
      await assert.rejects(startRunserver(p, { port, workos }), (error: unknown) => {
        assert.ok(error instanceof RunserverError);
        assert.equal(error.message, `port ${port} is in use: manage.py runserver cannot listen on it`);
        return true;
      });
    } finally {
      blocker.close();
    }
    assertNothingLeft(p.projectRoot);
  });

  test('Django not installed in the project environment: names the interpreter', async () => {
    const p = await project();
    p.python = python(venvs.tools);
    await assert.rejects(startRunserver(p, { port: await freePort(), workos }), (error: unknown) => {
      assert.ok(error instanceof RunserverError);
      assert.equal(error.message, `Django is not installed in the project's environment: ${venvPython(venvs.tools)} cannot import it`);
      assert.match(error.detail ?? '', /Couldn't import Django/);
      return true;
    });
    assertNothingLeft(p.projectRoot);
  });

  test('the interpreter does not exist', async () => {
    const p = await project();
    p.python = { command: [join(p.projectRoot, '.venv', 'bin', 'python')], source: 'venv', venv: join(p.projectRoot, '.venv'), exists: false };
    await assert.rejects(
      startRunserver(p, { port: await freePort(), workos }),
      new RegExp(`cannot run the project's Python \\(${p.python.command[0]}\\): it does not exist`),
    );
  });

  test("ALLOWED_HOSTS without localhost or 127.0.0.1: says so, stops runserver", async () => {
    const p = await project("ALLOWED_HOSTS = ['example.com']");
    await assert.rejects(startRunserver(p, { port: await freePort(), workos }), (error: unknown) => {
      assert.ok(error instanceof RunserverError);
      assert.match(error.message, /ALLOWED_HOSTS accepts neither localhost nor 127\.0\.0\.1/);
      assert.match(error.hint ?? '', /Add 'localhost' to ALLOWED_HOSTS/);
      return true;
    });
    assertNothingLeft(p.projectRoot);
  });

  test('ALLOWED_HOSTS with 127.0.0.1 only: the site is opened on 127.0.0.1, with a note', async () => {
    const p = await project("ALLOWED_HOSTS = ['127.0.0.1']");
    const port = await freePort();
    const server = await startRunserver(p, { port, workos });
    try {
      assert.equal(server.url, `http://127.0.0.1:${port}`);
      assert.deepEqual(server.notes, ['ALLOWED_HOSTS does not accept localhost; using 127.0.0.1']);
    } finally {
      await server.stop();
    }
    assertNothingLeft(p.projectRoot);
  });

  test('on the throwaway database, the failure names manage.py testserver, which is what ran', async () => {
    const p = await project('DEBUG = False');
    await assert.rejects(startRunserver(p, { port: await freePort(), workos, database: 'throwaway' }), (error: unknown) => {
      assert.ok(error instanceof RunserverError);
      assert.match(error.message, /^manage\.py testserver stopped before it answered \(exit code 1, /);
      return true;
    });
    assertNothingLeft(p.projectRoot);
  });

  test("a project that does not start: Django's own error output", async () => {
    const p = await project('DEBUG = False');
    await assert.rejects(startRunserver(p, { port: await freePort(), workos }), (error: unknown) => {
      assert.ok(error instanceof RunserverError);
      assert.match(error.message, /^manage\.py runserver stopped before it answered \(exit code 1, /);
      assert.match(error.detail ?? '', /You must set settings\.ALLOWED_HOSTS if DEBUG is False/);
      return true;
    });
    assertNothingLeft(p.projectRoot);
  });

  test('settings that crash at import: the traceback is in the error', async () => {
    const p = await project('import not_a_module_anywhere');
    await assert.rejects(startRunserver(p, { port: await freePort(), workos }), (error: unknown) => {
      assert.ok(error instanceof RunserverError);
      assert.match(error.detail ?? '', /ModuleNotFoundError: No module named 'not_a_module_anywhere'/);
      return true;
    });
    assertNothingLeft(p.projectRoot);
  });

  test('an interpreter behind a wrapper (uv run): stopping ends the wrapper and Python both', async () => {
    const p = await project();
    // uv starts Python as its own child: only stopping the whole group ends both.
    p.python = { command: ['uv', 'run', '--no-project', '--python', venvPython(venvs.bare52), 'python'], source: 'package-manager', venv: null, exists: true };
    const server = await startRunserver(p, { port: await freePort(), workos, env: toolEnv() });
    try {
      const programs = runserversFor(p.projectRoot).map((r) => r.command.split(' ')[0]!.split('/').pop());
      assert.ok(programs.includes('uv') && programs.some((name) => name?.startsWith('python')), programs.join(', '));
    } finally {
      await server.stop();
    }
    assertNothingLeft(p.projectRoot);
    assert.equal(await isListening(server.port), false);
  });

  test('a Node process that exits without stopping runserver still takes it along', async () => {
    const p = await project();
    const port = await freePort();
    // A separate Node process starts runserver, then exits abruptly (process.exit).
    const script = [
      `import { startRunserver } from ${JSON.stringify(join(repoRoot, 'src', 'flow', 'runserver.ts'))};`,
      `await startRunserver(${JSON.stringify(p)}, { port: ${port}, workos: ${JSON.stringify(workos)} });`,
      'console.log("started");',
      'process.exit(3);',
    ].join('\n');
    const run = promisify(execFile);
    const result = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot }).catch((error: { code: number; stdout: string }) => error);
    assert.equal((result as { code?: number }).code, 3);
    assert.match(result.stdout, /started/);
    // Gone by process, not by port: under a parallel test run another server may take the port at once.
    await waitFor('runserver to be gone', () => runserversFor(p.projectRoot).length === 0, 5000);
  });
});
