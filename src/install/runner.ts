/**
 * Runs a package manager to completion: stdin closed (a prompt gets EOF instead of waiting
 * forever), output streamed into the progress line and kept as a tail for error messages,
 * and a timeout that ends the tool and everything it started.
 */
import { spawn } from 'node:child_process';
import { type Progress, type ProgressStream, startProgress } from './progress.js';

export interface ToolRun {
  /** The tool's exit code; null when it was killed or never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Set when our own process was interrupted (Ctrl-C) while the tool ran. */
  interrupted: boolean;
  durationMs: number;
  /** The last lines the tool printed (stdout and stderr, in order of arrival, control codes removed). */
  outputTail: string;
  /** Why the tool could not start at all, when it could not (`spawn uv ENOENT`). */
  spawnError: string | null;
}

export interface RunToolOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where progress goes (stderr). */
  progressStream: ProgressStream;
  /** The progress label: `installing workos and python-dotenv with uv`. */
  label: string;
  timeoutMs: number;
  /** How many output lines to keep for `outputTail`. */
  tailLines?: number;
  /** After the timeout's SIGTERM, how long the tool gets to exit before SIGKILL. */
  killGraceMs?: number;
}

// CSI sequences (colors, cursor moves) and OSC sequences (hyperlinks, titles).
const CONTROL_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export function stripControlCodes(text: string): string {
  return text.replace(CONTROL_SEQUENCE, '');
}

/** Splits a byte stream into lines as they complete; `\r` counts as a line end (progress redraws). */
class LineSplitter {
  private pending = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: string): void {
    const parts = (this.pending + chunk).split(/\r\n|\n|\r/);
    this.pending = parts.pop() ?? '';
    for (const part of parts) this.onLine(part);
  }
  flush(): void {
    if (this.pending) this.onLine(this.pending);
    this.pending = '';
  }
}

const useProcessGroup = process.platform !== 'win32';

export function runTool(argv: readonly string[], options: RunToolOptions): Promise<ToolRun> {
  const [program, ...args] = argv;
  const tailLines = options.tailLines ?? 60;
  const tail: string[] = [];
  const started = Date.now();
  const progress: Progress = startProgress(options.progressStream, options.label);

  const keep = (raw: string): void => {
    const line = stripControlCodes(raw).replace(/\s+$/, '');
    if (!line.trim()) return;
    // Spinners and progress bars redraw the same line many times: keep only the last version.
    if (tail[tail.length - 1] === line) return;
    tail.push(line);
    if (tail.length > tailLines) tail.shift();
    progress.output(line);
  };

  return new Promise<ToolRun>((done) => {
    let timedOut = false;
    let interruptedBy: NodeJS.Signals | null = null;
    let spawnError: string | null = null;
    let settled = false;
    let pipeWait: NodeJS.Timeout | undefined;

    const child = spawn(program ?? '', args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout can end the tool's children too (pipenv runs pip).
      detached: useProcessGroup,
      windowsHide: true,
    });

    const signalTool = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        if (useProcessGroup) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    };

    // The tool is outside the terminal's process group, so Ctrl-C would not reach it: pass
    // it on, then let it take its usual effect on us once the tool has stopped.
    const forward = (signal: NodeJS.Signals): void => {
      interruptedBy = signal;
      signalTool(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);

    const timeout = setTimeout(() => {
      timedOut = true;
      signalTool('SIGTERM');
      setTimeout(() => signalTool('SIGKILL'), options.killGraceMs ?? 3000).unref();
    }, options.timeoutMs);

    const out = new LineSplitter(keep);
    const err = new LineSplitter(keep);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => err.push(chunk));

    const finish = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      if (pipeWait) clearTimeout(pipeWait);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      out.flush();
      err.flush();
      const durationMs = Date.now() - started;
      const ok = exitCode === 0 && !timedOut && spawnError === null;
      progress.finish(ok ? 'done' : timedOut ? 'timed out' : 'failed', durationMs);
      done({
        exitCode,
        signal,
        timedOut,
        interrupted: interruptedBy !== null,
        durationMs,
        outputTail: tail.join('\n'),
        spawnError,
      });
      if (interruptedBy) process.kill(process.pid, interruptedBy);
    };

    child.on('error', (error) => {
      spawnError = error.message;
      finish(null, null);
    });
    child.on('close', (code, signal) => finish(code, signal));
    // A grandchild that outlives the tool can hold the pipes open, and 'close' would never
    // come: once the tool itself has exited, give the pipes a moment, then stop waiting.
    child.on('exit', (code, signal) => {
      pipeWait = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(code, signal);
      }, 2000);
    });
  });
}
