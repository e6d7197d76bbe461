/**
 * `--json-progress`: progress of long steps (installing packages, the login flow) as one
 * JSON object per line on stderr, so a program that reads the --json report on stdout
 * can show what is happening meanwhile. Each line: {"progress": "install", "event":
 * "start" | "output" | "end", ...} or {"progress": "flow", "event": "step", "id",
 * "status", "durationMs"} per step of the login flow. Off unless asked for.
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
