/**
 * `--json-progress`: progress of long steps (installing packages, the login flow) as one
 * JSON object per line on stderr, so a program that reads the --json report on stdout
 * can show what is happening meanwhile. Each line: {"progress": step, "event": "start" |
 * "output" | "step" | "end", ...}. Off unless the command line asks for it.
 */
import type { Writable } from 'node:stream';

let target: Pick<Writable, 'write'> | null = null;

export function enableJsonProgress(stream: Pick<Writable, 'write'>): void {
  target = stream;
}

export function jsonProgressEnabled(): boolean {
  return target !== null;
}

export function emitProgress(step: string, event: 'start' | 'output' | 'step' | 'end', fields: Record<string, unknown> = {}): void {
  target?.write(`${JSON.stringify({ progress: step, event, ...fields })}\n`);
}
