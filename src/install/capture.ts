/** Runs a short command to completion and captures its output, with a timeout: for probes, not installs. */
import { execFile } from 'node:child_process';

export interface Captured {
  /** null when it did not exit normally (not found, killed by the timeout). */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Why it could not run at all (`spawn uv ENOENT`), when it could not. */
  spawnError: string | null;
}

export function capture(
  argv: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<Captured> {
  const [program, ...args] = argv;
  return new Promise((done) => {
    if (!program) {
      done({ exitCode: null, stdout: '', stderr: '', timedOut: false, spawnError: 'empty command' });
      return;
    }
    const child = execFile(
      program,
      args,
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const failure = error as (NodeJS.ErrnoException & { killed?: boolean; code?: unknown }) | null;
        const spawnError = failure && typeof failure.code === 'string' ? failure.message : null;
        const timedOut = !!failure?.killed && child.exitCode === null;
        done({ exitCode: child.exitCode, stdout: String(stdout), stderr: String(stderr), timedOut, spawnError });
      },
    );
    child.stdin?.end();
  });
}
