/**
 * One run's cache of what discovery reads: file existence, file text and parse trees.
 * Several stages look at the same files (settings, urls, manage.py); reading and parsing
 * each once keeps `inspect` fast. Nothing here writes.
 */
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { firstSyntaxError, lineOf, parsePython, type Tree } from '../python/parser.js';
import type { Problem } from './model.js';

export type ReadResult = { ok: true; text: string } | { ok: false; problem: Problem };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class SourceCache {
  private readonly texts = new Map<string, ReadResult>();
  private readonly trees = new Map<string, Tree | null>();
  private readonly stats = new Map<string, 'file' | 'dir' | null>();
  private readonly listings = new Map<string, Dirent[]>();
  /** Problems met while reading, reported once per file. */
  readonly problems: Problem[] = [];
  private readonly reported = new Set<string>();

  kind(path: string): 'file' | 'dir' | null {
    let kind = this.stats.get(path);
    if (kind === undefined) {
      try {
        const st = statSync(path);
        kind = st.isFile() ? 'file' : st.isDirectory() ? 'dir' : null;
      } catch {
        kind = null;
      }
      this.stats.set(path, kind);
    }
    return kind;
  }

  isFile(path: string): boolean {
    return this.kind(path) === 'file';
  }

  isDir(path: string): boolean {
    return this.kind(path) === 'dir';
  }

  /** Entries of a folder (empty when it cannot be listed). */
  list(dir: string): Dirent[] {
    let entries = this.listings.get(dir);
    if (!entries) {
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        entries = [];
      }
      this.listings.set(dir, entries);
    }
    return entries;
  }

  /** The file's text (a UTF-8 BOM removed), or a problem saying why it cannot be read. */
  read(path: string): ReadResult {
    let result = this.texts.get(path);
    if (!result) {
      result = readText(path);
      this.texts.set(path, result);
    }
    return result;
  }

  /** The text, or null; a read failure is recorded once in `problems`. */
  text(path: string): string | null {
    const result = this.read(path);
    if (result.ok) return result.text;
    this.report(result.problem);
    return null;
  }

  /**
   * The parse tree of a Python file, or null when it cannot be read. A syntax error is
   * recorded in `problems` (with its line) and the tree is still returned: tree-sitter
   * recovers, and what it recovers is still worth reading.
   */
  tree(path: string, syntaxCode = 'python-syntax-error'): Tree | null {
    if (this.trees.has(path)) return this.trees.get(path)!;
    const text = this.text(path);
    let tree: Tree | null = null;
    if (text !== null) {
      tree = parsePython(text, path);
      const error = firstSyntaxError(tree);
      if (error) {
        this.report({
          code: syntaxCode,
          message: 'syntax error: the values read after this line may be incomplete',
          file: path,
          line: lineOf(error),
        });
      }
    }
    this.trees.set(path, tree);
    return tree;
  }

  /** Records a problem once (by code, file and line); true when it was new. */
  report(problem: Problem): boolean {
    const key = problemKey(problem);
    if (this.reported.has(key)) return false;
    this.reported.add(key);
    this.problems.push(problem);
    return true;
  }

  /** Takes back a problem reported earlier (by a pass of the settings walk that was run again). */
  retract(problem: Problem): void {
    const key = problemKey(problem);
    if (!this.reported.delete(key)) return;
    const at = this.problems.findIndex((p) => problemKey(p) === key);
    if (at >= 0) this.problems.splice(at, 1);
  }
}

export const problemKey = (problem: Problem): string => `${problem.code}\0${problem.file ?? ''}\0${problem.line ?? ''}`;

function readText(path: string): ReadResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return {
      ok: false,
      problem: { code: 'file-unreadable', message: `cannot read this file (${code})`, file: path },
    };
  }
  try {
    const text = utf8.decode(bytes);
    return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch {
    return {
      ok: false,
      problem: {
        code: 'file-not-utf8',
        message: 'not valid UTF-8: authkit-django reads and edits UTF-8 files only',
        file: path,
        line: firstInvalidUtf8Line(bytes),
      },
    };
  }
}

/** The 1-based line of the first byte that breaks UTF-8. */
export function firstInvalidUtf8Line(bytes: Uint8Array): number {
  let line = 1;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x0a) line++;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return line;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return line;
    }
    // Overlong forms and surrogates: the second byte's range is narrower after these leads.
    const second = bytes[i + 1] ?? 0;
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f)) return line;
    if ((b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) return line;
    i += need + 1;
  }
  return line;
}
