import { Writable } from 'node:stream';
import { redact } from './secrets.js';

/** Where a command writes, and whether it may use color and prompts. */
export interface Io {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  color: boolean;
  env: NodeJS.ProcessEnv;
}

/**
 * A stream that removes registered secrets from everything written through it, so a
 * key can never reach the terminal or a log, whatever printed it. Each write goes to the
 * target at once: a Writable's own queue would hold later writes back until the earlier
 * one's callback, while a prompt written to the other stream meanwhile appears first.
 */
function redacting(target: NodeJS.WriteStream): Writable & { isTTY?: boolean; columns?: number } {
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, callback) {
      target.write(redact(chunk.toString()), callback);
    },
  }) as Writable & { isTTY?: boolean; columns?: number };
  stream.write = ((chunk: Buffer | string, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void) => {
    const done = typeof encoding === 'function' ? encoding : callback;
    return done ? target.write(redact(chunk.toString()), done) : target.write(redact(chunk.toString()));
  }) as Writable['write'];
  stream.isTTY = target.isTTY;
  Object.defineProperty(stream, 'columns', { get: () => target.columns });
  return stream;
}

export function processIo(): Io {
  const env = process.env;
  const color = !!process.stdout.isTTY && env.NO_COLOR === undefined && env.TERM !== 'dumb';
  return { stdout: redacting(process.stdout), stderr: redacting(process.stderr), stdin: process.stdin, color, env };
}

export type Paint = (text: string) => string;

export interface Palette {
  red: Paint;
  green: Paint;
  yellow: Paint;
  cyan: Paint;
  dim: Paint;
  bold: Paint;
}

const wrap =
  (open: number, close: number): Paint =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;

const plain: Paint = (text) => text;

export function palette(color: boolean): Palette {
  if (!color) return { red: plain, green: plain, yellow: plain, cyan: plain, dim: plain, bold: plain };
  return {
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

export function writeLine(stream: Writable, text = ''): void {
  stream.write(`${text}\n`);
}

/** How wide human output may be: the terminal's width, or no limit when not at a terminal. */
export function lineWidth(stream: { isTTY?: boolean; columns?: number }): number {
  return stream.isTTY && stream.columns && stream.columns > 0 ? stream.columns - 1 : Infinity;
}

/** `text` in lines of at most `first` columns, then `rest` columns, broken at spaces. */
export function wrapText(text: string, first: number, rest: number): string[] {
  const lines: string[] = [];
  let room = first;
  let current = '';
  for (const word of text.split(' ')) {
    if (current && current.length + 1 + word.length > room) {
      lines.push(current);
      current = word;
      room = rest;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) lines.push(current);
  return lines;
}
