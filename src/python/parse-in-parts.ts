/**
 * A large module parsed a part at a time (parser.ts decides which modules). The text is
 * cut at its module-level statement starts (top-level.ts) into runs of statements:
 * - a run of plain statements (one simple statement each, which top-level.ts shows to
 *   parse cleanly without tree-sitter) becomes a part parsed only when a query first
 *   reads its nodes: most of a 2 MB settings file is never parsed;
 * - every other run is parsed at once, so that its syntax errors are found as before.
 * At the first error the caller parses the whole text instead, so a broken file is
 * reported exactly as a whole-file parse reports it (and a wrong cut, which would leave a
 * part unterminated, is never trusted).
 */
import type { Point, Tree as SyntaxTree } from 'web-tree-sitter';
import type { Segment } from './module-tree.js';
import { isPlainStatement, topLevelStatements } from './top-level.js';

/** Parses text[start, end) on its own (as tree-sitter's included range): offsets and points stay the whole text's. */
export type ParseRange = (text: string, start: number, end: number, startPosition: Point, endPosition: Point) => SyntaxTree;

/** A run of plain statements is parsed on its own up to about this many characters: a query that reads one statement parses its run. */
const PLAIN_RUN_CHARS = 16 * 1024;

/** A run of plain statements, parsed when its tree is first read. */
export class PlainRun implements Segment {
  private parsed: SyntaxTree | undefined;
  /** A run is never a shifted copy (module-tree.ts): a run moved by an edit is a new run over the new text. */
  readonly origin?: Segment['origin'];

  constructor(
    readonly text: string,
    readonly start: number,
    /** Infinity for the module's last segment (module-tree.ts). */
    readonly end: number,
    readonly startPosition: Point,
    readonly endPosition: Point,
    private readonly parseRange: ParseRange,
  ) {}

  get tree(): SyntaxTree {
    this.parsed ??= this.parseRange(this.text, this.start, Math.min(this.end, this.text.length), this.startPosition, this.endPosition);
    return this.parsed;
  }

  /** Plain statements parse cleanly (top-level.ts): known without a parse. */
  get clean(): boolean {
    return this.parsed ? !this.parsed.rootNode.hasError : true;
  }

  get isParsed(): boolean {
    return this.parsed !== undefined;
  }

  /** The same run over `after`, a text edited before it by `delta` characters and `rows` lines. */
  shifted(after: string, delta: number, rows: number): PlainRun {
    const move = (p: Point): Point => ({ row: p.row + rows, column: p.column });
    return new PlainRun(after, this.start + delta, this.end + delta, move(this.startPosition), move(this.endPosition), this.parseRange);
  }

  /** The same run ending at `end` (a statement start within it), not yet parsed. */
  endingAt(end: number, endPosition: Point): PlainRun {
    return new PlainRun(this.text, this.start, end, this.startPosition, endPosition, this.parseRange);
  }
}

/**
 * The segments of `text` (see module-tree.ts), or null where a part that is not plain has
 * a syntax error or the text has line breaks the cutting does not count (a lone CR): the
 * caller then parses the text whole.
 */
export function parseInParts(text: string, parseRange: ParseRange): Segment[] | null {
  if (/\r(?!\n)/.test(text)) return null;
  const { starts, rows, endRow } = topLevelStatements(text);
  const count = starts.length;
  const offset = (k: number): number => (k < count ? starts[k]! : text.length);
  const endColumn = text.length - (text.lastIndexOf('\n') + 1);
  const point = (k: number): Point => (k < count ? { row: rows[k]!, column: 0 } : { row: endRow, column: endColumn });
  const plain = new Uint8Array(count);
  for (let k = 0; k < count; k++) plain[k] = isPlainStatement(text, offset(k), offset(k + 1)) ? 1 : 0;
  const segments: Segment[] = [];
  for (let k = 0; k < count; ) {
    let next = k + 1;
    while (next < count && plain[next] === plain[k] && offset(next + 1) - offset(k) <= PLAIN_RUN_CHARS) next++;
    const start = offset(k);
    const end = next >= count ? Infinity : offset(next);
    if (plain[k]) {
      segments.push(new PlainRun(text, start, end, point(k), point(next), parseRange));
    } else {
      const tree = parseRange(text, start, offset(next), point(k), point(next));
      if (tree.rootNode.hasError || endsContinued(text, start, offset(next))) {
        // The caller parses the whole text: parsed from this run's start only, tree-sitter's
        // error recovery can place the first error elsewhere than in the whole file.
        tree.delete();
        for (const segment of segments) if (!(segment instanceof PlainRun)) segment.tree.delete();
        return null;
      }
      segments.push({ tree, start, end });
    }
    k = next;
  }
  return segments;
}

/** Whether a backslash before the last line break of text[start, end) joins that part to the next statement. */
export function endsContinued(text: string, start: number, end: number): boolean {
  return /\\\r?\n$/.test(text.slice(Math.max(start, end - 3), end));
}
