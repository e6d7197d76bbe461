// The runner with real processes (Python one-liners standing in for a package manager's
// behaviours: reading stdin, printing progress, starting children, hanging). The terminal
// is the only stand-in: a recording stream flagged as a TTY, since the suite has no terminal.
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { errorExcerpt } from '../../src/install/messages.js';
import { startProgress } from '../../src/install/progress.js';
import { runTool, stripControlCodes } from '../../src/install/runner.js';

const python = join(import.meta.dirname, '..', '..', '.venvs', 'bare52', 'bin', 'python');

function recorder(isTTY: boolean, columns = 60): { write: (chunk: string) => boolean; isTTY: boolean; columns: number; chunks: string[] } {
  const chunks: string[] = [];
  return {
    isTTY,
    columns,
    chunks,
    write: (chunk: string) => {
      chunks.push(String(chunk));
      return true;
    },
  };
}

function options(stream = recorder(false), timeoutMs = 60_000) {
  return { cwd: tmpdir(), env: process.env, progressStream: stream, label: 'installing x with y', timeoutMs };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runTool', () => {
  test('stdin is closed: a prompt gets end-of-file instead of waiting', { timeout: 30_000 }, async () => {
    const run = await runTool([python, '-c', 'answer = input("Proceed? [y/N] ")\nprint("got", answer)'], options());
    assert.equal(run.exitCode, 1);
    assert.match(run.outputTail, /EOFError/);
    assert.doesNotMatch(run.outputTail, /got/);
  });

  test('keeps the tail of stdout and stderr, in order, without control codes', async () => {
    const script = [
      'import sys',
      'for i in range(100): print("line", i, flush=True)',
      'sys.stderr.write("\\x1b[31merror:\\x1b[0m it broke\\n")',
      'sys.exit(3)',
    ].join('\n');
    const run = await runTool([python, '-c', script], { ...options(), tailLines: 5 });
    assert.equal(run.exitCode, 3);
    assert.equal(run.outputTail, 'line 96\nline 97\nline 98\nline 99\nerror: it broke');
    assert.equal(run.timedOut, false);
    assert.equal(run.spawnError, null);
  });

  test('a program that does not exist is reported, not thrown', async () => {
    const run = await runTool(['authkit-django-no-such-tool'], options());
    assert.equal(run.exitCode, null);
    assert.match(run.spawnError ?? '', /ENOENT/);
  });

  test('the timeout ends the tool and the processes it started', { timeout: 60_000 }, async () => {
    // The tool starts a child that would sleep for a minute, prints its pid, then waits too.
    const script = [
      'import subprocess, sys, time',
      'child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])',
      'print("child", child.pid, flush=True)',
      'time.sleep(60)',
    ].join('\n');
    const stream = recorder(false);
    const run = await runTool([python, '-c', script], options(stream, 1500));
    assert.equal(run.timedOut, true);
    assert.equal(run.exitCode, null);
    assert.match(stream.chunks.join(''), /^installing x with y \.\.\. timed out after \d+\.\d s\n$/);
    const pid = Number(run.outputTail.match(/child (\d+)/)?.[1]);
    assert.ok(pid > 0, `the tool printed its child's pid: ${run.outputTail}`);
    // The group got SIGTERM; give the child a moment to be gone (bounded poll).
    for (let i = 0; i < 50 && alive(pid); i += 1) await new Promise((done) => setTimeout(done, 100));
    assert.equal(alive(pid), false, 'the grandchild was ended with the tool');
  });
});

describe('progress', () => {
  test('not a terminal: one plain line, no control codes', async () => {
    const stream = recorder(false);
    const run = await runTool([python, '-c', 'print("Resolving dependencies...")'], options(stream));
    assert.equal(run.exitCode, 0);
    const text = stream.chunks.join('');
    assert.match(text, /^installing x with y \.\.\. done in \d+\.\d s\n$/);
    assert.doesNotMatch(text, /\u001b|\r/);
  });

  test('a failure is said plainly too', async () => {
    const stream = recorder(false);
    await runTool([python, '-c', 'raise SystemExit(2)'], options(stream));
    assert.match(stream.chunks.join(''), /^installing x with y \.\.\. failed after \d+\.\d s\n$/);
  });

  test("a terminal: one line redrawn in place with elapsed seconds and the tool's latest line", async () => {
    const stream = recorder(true, 60);
    const script = 'import time\nfor step in ("Resolving dependencies", "Downloading workos-10.8.0-py3-none-any.whl and a long tail of text"):\n    print(step, flush=True)\n    time.sleep(0.3)';
    const run = await runTool([python, '-c', script], options(stream));
    assert.equal(run.exitCode, 0);
    const frames = stream.chunks;
    // Every frame starts by returning to column 0 and clearing the line: one line, updated.
    for (const frame of frames) assert.ok(frame.startsWith('\r\u001b[2K'), JSON.stringify(frame));
    assert.ok(frames.slice(0, -1).every((frame) => !frame.includes('\n')), 'no new lines until the end');
    const shown = frames.map(stripControlCodes);
    assert.ok(shown.some((frame) => /^\rinstalling x with y \(\d+ s\)  Resolving dependencies$/.test(frame)), shown.join('|'));
    // Long lines are cut to the terminal width.
    const long = shown.find((frame) => frame.includes('Downloading'));
    assert.ok(long, shown.join('|'));
    assert.ok(long.length - 1 <= 59, `fits in 59 columns: ${long}`);
    assert.ok(long.endsWith('…'));
    assert.match(shown[shown.length - 1] ?? '', /^\rinstalling x with y done in \d+\.\d s\n$/);
  });

  test('elapsed seconds come from the clock', () => {
    const stream = recorder(true);
    let clock = 1_000;
    const progress = startProgress(stream, 'installing', { now: () => clock, intervalMs: 60_000 });
    clock = 4_500;
    progress.output('Resolving');
    progress.finish('failed', 3_500);
    const shown = stream.chunks.map(stripControlCodes);
    assert.deepEqual(shown, ['\rinstalling (0 s)', '\rinstalling (3 s)  Resolving', '\rinstalling failed after 3.5 s\n']);
  });
});

describe('errorExcerpt', () => {
  test('starts at the first error line among the last ones, so the hints after it are kept', () => {
    const tail = ['Resolving', 'Downloading', 'error: no solution', '  cause: x was not found', 'hint: try --frozen'].join('\n');
    assert.deepEqual(errorExcerpt(tail), ['error: no solution', '  cause: x was not found', 'hint: try --frozen']);
  });
  test('without an error line, the last lines', () => {
    const tail = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    assert.deepEqual(errorExcerpt(tail), Array.from({ length: 15 }, (_, i) => `line ${i + 15}`));
  });
});
