/**
 * A long-running child (runserver) in its own process group, so stopping it also stops
 * whatever it started (`uv run` runs Python as its child; Django's autoreloader, if a
 * project forces it, forks another). Its output is kept (the last part of it) for error
 * messages and can be streamed to the terminal. Registered with cleanup.ts from spawn
 * until it has exited.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { track } from './cleanup.js';

/** How much of the child's output is kept for messages. */
const KEPT_OUTPUT = 256 * 1024;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the program could not be started at all. */
  spawnError: NodeJS.ErrnoException | null;
}

export interface ManagedChild {
  readonly name: string;
  readonly pid: number | undefined;
  /** Resolves once the child has exited (or failed to start). */
  readonly exited: Promise<ExitInfo>;
  /** The exit, once it happened. */
  exitInfo(): ExitInfo | null;
  /** stdout and stderr interleaved, as received (the last KEPT_OUTPUT characters). */
  output(): string;
  /** Calls `listener` with every chunk of output from now on. */
  onOutput(listener: (text: string) => void): void;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the child is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** For messages: what this child is. */
  name: string;
}

export function spawnManaged(program: string, args: string[], options: SpawnOptions): ManagedChild {
  let child: ChildProcess;
  let exit: ExitInfo | null = null;
  let kept = '';
  const listeners: ((text: string) => void)[] = [];
  let resolveExited!: (info: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((resolve) => {
    resolveExited = resolve;
  });

  const record = (chunk: Buffer): void => {
    const text = chunk.toString('utf8');
    kept = (kept + text).slice(-KEPT_OUTPUT);
    for (const listener of listeners) listener(text);
  };
  const finish = (info: ExitInfo): void => {
    if (exit) return;
    exit = info;
    untrack();
    resolveExited(info);
  };

  try {
    // detached: a process group of its own, which signals can address as a whole.
    child = spawn(program, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  } catch (error) {
    const failed = error as NodeJS.ErrnoException;
    exit = { code: null, signal: null, spawnError: failed };
    resolveExited(exit);
    return {
      name: options.name,
      pid: undefined,
      exited,
      exitInfo: () => exit,
      output: () => '',
      onOutput: () => undefined,
      stop: async () => undefined,
    };
  }
  const pid = child.pid;
  child.stdout?.on('data', record);
  child.stderr?.on('data', record);
  child.on('error', (error: NodeJS.ErrnoException) => {
    // A program that never started has no 'close' to wait for.
    if (child.pid === undefined) finish({ code: null, signal: null, spawnError: error });
  });
  child.on('close', (code, signal) => finish({ code, signal, spawnError: null }));

  const signalGroup = (signal: NodeJS.Signals): void => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is gone already.
    }
  };

  let stopping: Promise<void> | null = null;
  const stop = (graceMs = 3000): Promise<void> => {
    if (stopping) return stopping;
    stopping = (async () => {
      if (exit || pid === undefined) {
        // The leader exited; members it started may still run in the group.
        signalGroup('SIGKILL');
        return;
      }
      signalGroup('SIGTERM');
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
      if ((await Promise.race([exited, timer])) === 'timeout') {
        signalGroup('SIGKILL');
        await exited;
      }
      // Anything the leader started and left behind goes with the group.
      signalGroup('SIGKILL');
    })();
    return stopping;
  };

  const untrack = track({
    name: `${options.name}${pid !== undefined ? ` (pid ${pid})` : ''}`,
    stop: () => stop(),
    killNow: () => signalGroup('SIGKILL'),
  });

  return {
    name: options.name,
    pid,
    exited,
    exitInfo: () => exit,
    output: () => kept,
    onOutput: (listener) => {
      listeners.push(listener);
    },
    stop,
  };
}
