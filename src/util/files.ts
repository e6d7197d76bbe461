import { readFileSync } from 'node:fs';
import { firstInvalidUtf8Line } from '../discover/source-cache.js';
import { EXIT, UserError } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A file the command needs but cannot read as text. The user's files cause it, so it is a
 * UserError (file, line, what to do), never an "internal error".
 */
export class UnreadableFile extends UserError {
  constructor(
    readonly file: string,
    readonly reason: 'missing' | 'not-utf8' | 'unreadable',
    detail: string,
    hint?: string,
  ) {
    super(detail, EXIT.error, hint);
    this.name = 'UnreadableFile';
  }
}

/**
 * Reads a text file as UTF-8, keeping a BOM as U+FEFF so that writing the text back
 * restores the same bytes. Throws UnreadableFile for anything else.
 */
export function readUtf8(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnreadableFile(file, code === 'ENOENT' ? 'missing' : 'unreadable', `cannot read ${file} (${code ?? (error as Error).message}); nothing was written`);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new UnreadableFile(
      file,
      'not-utf8',
      `${file}:${firstInvalidUtf8Line(bytes)}: not valid UTF-8; authkit-django reads and edits UTF-8 files only, so nothing was written`,
      'Save the file as UTF-8 (for example `iconv -f latin1 -t utf-8 FILE > FILE.new` and move it into place), then run the command again.',
    );
  }
}

/** readUtf8, or null when the file does not exist. */
export function readUtf8IfExists(file: string): string | null {
  try {
    return readUtf8(file);
  } catch (error) {
    if (error instanceof UnreadableFile && error.reason === 'missing') return null;
    throw error;
  }
}
