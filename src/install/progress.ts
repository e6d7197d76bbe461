/**
 * Progress of a long-running tool on stderr. On a terminal: one line rewritten in place with the
 * elapsed seconds and the tool's latest output line, so a slow resolve visibly moves. Anywhere
 * else (CI logs, pipes): one plain line, `installing ... done in N s`, with no control codes.
 */
import type { Writable } from 'node:stream';
import { emitProgress, jsonProgressEnabled } from '../util/json-progress.js';

export interface ProgressStream {
  write: Writable['write'];
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** The tool printed a line (already stripped of control codes). */
  output(line: string): void;
  finish(outcome: 'done' | 'failed' | 'timed out', durationMs: number): void;
}

export interface ProgressOptions {
  /** How often the terminal line is redrawn, in ms. */
  intervalMs?: number;
  now?: () => number;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function closing(outcome: 'done' | 'failed' | 'timed out', durationMs: number): string {
  return outcome === 'done' ? `done in ${seconds(durationMs)}` : `${outcome} after ${seconds(durationMs)}`;
}

export function startProgress(stream: ProgressStream, label: string, options: ProgressOptions = {}): Progress {
  const now = options.now ?? Date.now;
  const started = now();

  if (jsonProgressEnabled()) {
    emitProgress('install', 'start', { label });
    return {
      output(line) {
        if (line.trim()) emitProgress('install', 'output', { line: line.trim() });
      },
      finish(outcome, durationMs) {
        emitProgress('install', 'end', { outcome, durationMs: Math.round(durationMs) });
      },
    };
  }

  if (!stream.isTTY) {
    stream.write(`${label} ... `);
    return {
      output() {},
      finish(outcome, durationMs) {
        stream.write(`${closing(outcome, durationMs)}\n`);
      },
    };
  }

  let latest = '';
  let lastDraw = 0;
  let trailing: NodeJS.Timeout | undefined;
  const draw = (): void => {
    lastDraw = now();
    const head = `${label} (${Math.floor((lastDraw - started) / 1000)} s)`;
    const width = Math.max(20, (stream.columns ?? 80) - 1);
    let line = latest ? `${head}  ${latest}` : head;
    if (line.length > width) line = `${line.slice(0, width - 1)}…`;
    // Return to column 0 and clear the line, so a shorter line leaves nothing behind.
    stream.write(`\r\u001b[2K${line}`);
  };
  draw();
  const timer = setInterval(draw, options.intervalMs ?? 1000);
  timer.unref();

  return {
    output(line) {
      const shown = line.trim();
      if (!shown) return;
      latest = shown;
      // Fast tools print many lines a second; redrawing on each would only flicker. At most
      // one redraw per 100 ms, the last one trailing so the newest line always shows.
      const wait = lastDraw + 100 - now();
      if (wait <= 0) draw();
      else if (!trailing) {
        trailing = setTimeout(() => {
          trailing = undefined;
          draw();
        }, wait);
        trailing.unref();
      }
    },
    finish(outcome, durationMs) {
      clearInterval(timer);
      if (trailing) clearTimeout(trailing);
      stream.write(`\r\u001b[2K${label} ${closing(outcome, durationMs)}\n`);
    },
  };
}
