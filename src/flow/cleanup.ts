/**
 * Everything `dev` and `verify --flow` start is stopped when they finish, fail, are
 * interrupted (Ctrl+C, SIGTERM, a closed terminal) or exit any other way. Each started
 * thing registers here; the process `exit` hook kills whatever is still registered
 * (synchronously: nothing asynchronous runs after `exit`).
 */

export interface Stoppable {
  /** What it is, for messages (`manage.py runserver (pid 123)`). */
  name: string;
  /** Stops it and waits until it is gone. Must be safe to call twice. */
  stop(): Promise<void>;
  /** Last resort from the `exit` hook: kill now, without waiting. */
  killNow(): void;
}

const tracked: Stoppable[] = [];
let exitHookInstalled = false;

function killAllNow(): void {
  for (const item of [...tracked].reverse()) {
    try {
      item.killNow();
    } catch {
      // Nothing more can be done while the process exits.
    }
  }
  tracked.length = 0;
}

/** Registers `item` until its stop() resolves or `untrack` is called. */
export function track(item: Stoppable): () => void {
  if (!exitHookInstalled) {
    process.on('exit', killAllNow);
    exitHookInstalled = true;
  }
  tracked.push(item);
  return () => {
    const index = tracked.indexOf(item);
    if (index >= 0) tracked.splice(index, 1);
  };
}

/** Stops everything registered, the most recently started first. */
export async function stopAll(): Promise<void> {
  while (tracked.length > 0) {
    const item = tracked.pop()!;
    try {
      await item.stop();
    } catch {
      item.killNow();
    }
  }
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };

/** The exit code a shell reports for a process ended by `signal` (130 for Ctrl+C). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (SIGNAL_NUMBERS[signal] ?? 15);
}

export interface SignalWatch {
  /** Resolves with the first signal received. */
  received: Promise<NodeJS.Signals>;
  /** Removes the handlers (the default behaviour, ending the process, returns). */
  dispose(): void;
}

/**
 * Catches SIGINT, SIGTERM and SIGHUP instead of letting them end the process at once, so
 * the caller can stop what it started first. A second Ctrl+C while stopping kills
 * everything immediately: a stuck child must never hold the terminal.
 */
export function watchSignals(): SignalWatch {
  let resolveReceived!: (signal: NodeJS.Signals) => void;
  const received = new Promise<NodeJS.Signals>((resolve) => {
    resolveReceived = resolve;
  });
  let count = 0;
  const handler = (signal: NodeJS.Signals): void => {
    count += 1;
    if (count === 1) {
      resolveReceived(signal);
      return;
    }
    killAllNow();
    process.exit(signalExitCode(signal));
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return {
    received,
    dispose: () => {
      for (const signal of SIGNALS) process.off(signal, handler);
    },
  };
}

/**
 * Runs `work` with the signals watched: if one arrives first, everything registered is
 * stopped and the process ends with the signal's exit code. For commands that start
 * processes and have nothing to say on Ctrl+C beyond stopping them.
 */
export async function stopAllOnSignal<T>(work: () => Promise<T>, onSignal?: (signal: NodeJS.Signals) => void): Promise<T> {
  const watch = watchSignals();
  void watch.received.then(async (signal) => {
    onSignal?.(signal);
    await stopAll();
    process.exit(signalExitCode(signal));
  });
  try {
    return await work();
  } finally {
    watch.dispose();
  }
}
