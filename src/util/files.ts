import { readFileSync } from 'node:fs';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class UnreadableFile extends Error {
  constructor(
    readonly file: string,
    readonly reason: 'missing' | 'not-utf8' | 'unreadable',
    detail: string,
  ) {
    super(detail);
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
    throw new UnreadableFile(file, code === 'ENOENT' ? 'missing' : 'unreadable', (error as Error).message);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    throw new UnreadableFile(file, 'not-utf8', `${file} is not valid UTF-8`);
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
