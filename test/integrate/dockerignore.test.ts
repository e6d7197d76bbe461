/**
 * Issue 8, item 8: a Dockerfile that copies its whole build context must not bake the
 * .env (the API key) into the image: init adds it to .dockerignore, creating the file when
 * missing. (No Docker daemon here: .dockerignore matching is checked against the rules
 * Docker documents, last match wins, `!` re-includes.)
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { copiesWholeContext, dockerIgnores } from '../../src/integrate/dockerignore.js';
import { assertSecondRunPlansNothing, init, KEYS, project } from './conventions-helpers.js';

const DOCKERFILE = 'FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\nCMD ["gunicorn", "mini.wsgi"]\n';

describe('.dockerignore', () => {
  it('reads which instructions copy the whole context', () => {
    assert.equal(copiesWholeContext(DOCKERFILE), true);
    assert.equal(copiesWholeContext('COPY --chown=app:app . /app\n'), true);
    assert.equal(copiesWholeContext('ADD ./ /srv\n'), true);
    assert.equal(copiesWholeContext('COPY \\\n  . \\\n  /app\n'), true);
    assert.equal(copiesWholeContext('COPY requirements.txt .\nCOPY src/ /app/src/\n'), false);
  });

  it('matches patterns as Docker does: last match wins, ! re-includes, folders and globs', () => {
    assert.equal(dockerIgnores('.env\n', '.env'), true);
    assert.equal(dockerIgnores('*.env\n', '.env'), true);
    assert.equal(dockerIgnores('.env*\n', '.env'), true);
    assert.equal(dockerIgnores('**/.env\n', 'backend/.env'), true);
    assert.equal(dockerIgnores('.env\n', 'backend/.env'), false);
    assert.equal(dockerIgnores('*\n!.env\n', '.env'), false);
    assert.equal(dockerIgnores('# .env\nnode_modules\n', '.env'), false);
    assert.equal(dockerIgnores('backend\n', 'backend/.env'), true);
  });

  it('adds it: creates .dockerignore beside a Dockerfile with COPY . .; a second run plans nothing', async () => {
    const p = project('minimal', (dir) => writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE));
    const first = await init(p, KEYS);
    assert.ok([0, 3].includes(first.code), first.stderr);
    assert.equal(readFileSync(join(p.dir, '.dockerignore'), 'utf8'), '.env\n');
    await assertSecondRunPlansNothing(p);
  });

  it('adds it to an existing .dockerignore, keeping its lines and CRLF', async () => {
    const p = project('minimal', (dir) => {
      writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
      writeFileSync(join(dir, '.dockerignore'), '.git\r\n*.pyc');
    });
    await init(p, KEYS);
    assert.equal(readFileSync(join(p.dir, '.dockerignore'), 'utf8'), '.git\r\n*.pyc\r\n.env\r\n');
    await assertSecondRunPlansNothing(p);
  });

  it('already there (.env* excludes it): no-op', async () => {
    const p = project('minimal', (dir) => {
      writeFileSync(join(dir, 'Dockerfile'), DOCKERFILE);
      writeFileSync(join(dir, '.dockerignore'), '.env*\n');
    });
    const first = await init(p, KEYS);
    const report = JSON.parse(first.stdout) as { changes: { id: string; status: string }[] };
    assert.equal(report.changes.find((c) => c.id === 'dockerignore.env')?.status, 'skipped');
    assert.equal(readFileSync(join(p.dir, '.dockerignore'), 'utf8'), '.env*\n');
  });

  it('unusual layout: a Dockerfile that copies only named files needs nothing', async () => {
    const p = project('minimal', (dir) => writeFileSync(join(dir, 'Dockerfile'), 'FROM python:3.12\nCOPY manage.py mini/ /app/\n'));
    await init(p, KEYS);
    assert.equal(existsSync(join(p.dir, '.dockerignore')), false);
  });

  it('a Dockerfile in a subfolder built from the root (docker/production.Dockerfile, ADD ./ /app/): the root .dockerignore gets it', async () => {
    const p = project('minimal', (dir) => {
      mkdirSync(join(dir, 'docker'));
      writeFileSync(join(dir, 'docker', 'production.Dockerfile'), 'FROM python:3.12\nWORKDIR /app\nADD ./ /app/\nRUN pip install -r requirements.txt\n');
    });
    await init(p, KEYS);
    assert.equal(readFileSync(join(p.dir, '.dockerignore'), 'utf8'), '.env\n');
    await assertSecondRunPlansNothing(p);
  });

  it("BuildKit's own ignore file beside the Dockerfile (production.Dockerfile.dockerignore) is the one edited", async () => {
    const p = project('minimal', (dir) => {
      mkdirSync(join(dir, 'docker'));
      writeFileSync(join(dir, 'docker', 'production.Dockerfile'), 'FROM python:3.12\nCOPY . .\nCMD gunicorn mini.wsgi\n');
      writeFileSync(join(dir, 'docker', 'production.Dockerfile.dockerignore'), '.git\n');
    });
    await init(p, KEYS);
    assert.equal(readFileSync(join(p.dir, 'docker', 'production.Dockerfile.dockerignore'), 'utf8'), '.git\n.env\n');
    assert.equal(existsSync(join(p.dir, '.dockerignore')), false);
  });

  it("a frontend's Dockerfile in its own folder (npm, no Python) is not the Django image: nothing added", async () => {
    const p = project('minimal', (dir) => {
      mkdirSync(join(dir, 'frontend'));
      writeFileSync(join(dir, 'frontend', 'Dockerfile'), 'FROM node:20\nCOPY . .\nRUN npm ci && npm run build\n');
    });
    await init(p, KEYS);
    assert.equal(existsSync(join(p.dir, '.dockerignore')), false);
  });
});
