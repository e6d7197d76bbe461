/**
 * A lock file: one holder at a time, across processes. Created with O_EXCL, so two
 * processes can never both hold it; a holder killed without releasing (SIGKILL, power
 * cut) is detected by its pid no longer running on this host, and its lock taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockHolder {
  pid: number;
  host: string;
  /** What the holder is doing, for the message the next run shows. */
  purpose: string;
  since: string;
}

export interface Lock {
  readonly file: string;
  release(): void;
}

export class LockBusy extends Error {
  constructor(
    readonly file: string,
    readonly holder: LockHolder | null,
  ) {
    super(`${file} is held${holder ? ` by pid ${holder.pid} (${holder.purpose})` : ''}`);
    this.name = 'LockBusy';
  }
}

const held = new Set<string>();
let exitHook = false;

function readHolder(file: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A holder that can no longer release: dead on this host, or this very process (a command run twice in one process). */
function isStale(holder: LockHolder | null, text: string | null): boolean {
  if (holder === null) return text === '';
  if (holder.host !== hostname()) return false;
  return holder.pid === process.pid || !isRunning(holder.pid);
}

function tryCreate(file: string, holder: LockHolder): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(holder));
  } finally {
    closeSync(fd);
  }
  return true;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** One attempt: the lock, or null when a live process holds it. */
export function tryLock(file: string, purpose: string): Lock | null {
  const me: LockHolder = { pid: process.pid, host: hostname(), purpose, since: new Date().toISOString() };
  if (!tryCreate(file, me)) {
    const text = readText(file);
    if (text === null) return tryLock(file, purpose); // released meanwhile
    // A half-written holder (the writer was killed between create and write) is empty: stale too.
    if (!isStale(readHolder(file), text)) return null;
    // Take a stale lock over only if it is still the one judged stale.
    if (readText(file) !== text) return null;
    try {
      unlinkSync(file);
    } catch {
      return null;
    }
    if (!tryCreate(file, me)) return null;
  }
  held.add(file);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => {
      for (const f of held) releaseFile(f);
    });
  }
  return { file, release: () => releaseFile(file) };
}

function releaseFile(file: string): void {
  if (!held.delete(file)) return;
  const holder = readHolder(file);
  if (holder && holder.pid === process.pid && holder.host === hostname()) {
    try {
      unlinkSync(file);
    } catch {
      // Already gone.
    }
  }
}

/** Waits up to `waitMs` for the lock; throws LockBusy when it stays held. */
export async function acquireLock(file: string, purpose: string, waitMs: number): Promise<Lock> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const lock = tryLock(file, purpose);
    if (lock) return lock;
    if (Date.now() >= deadline) throw new LockBusy(file, readHolder(file));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
