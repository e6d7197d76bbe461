/**
 * A fast reading of a module's top level, without tree-sitter, for large files
 * (parser.ts parses those a part at a time): where each module-level statement starts,
 * and which statements are "plain", that is one simple statement from a small subset of
 * Python that settings files are mostly made of (assignments of literals, names, calls
 * and operators; imports; expression statements). Both are character loops over the text.
 *
 * Neither answer has to be complete, only sound:
 * - a statement start found here is where the parser starts a module-level statement
 *   (column 0, outside any bracket, string or continued line, not an `else:` or the
 *   definition under a decorator); parser.ts still parses each part that is not plain and
 *   goes back to the whole-file parse at the first error, so a wrong start (which leaves
 *   the part before it unterminated) is caught there;
 * - a statement found plain parses without error, alone and within the file. Whatever
 *   the subset leaves out (f-strings, blocks, backslash continuations, slices,
 *   comprehensions, lambdas, annotations, `;`, non-ASCII names, unusual numbers or
 *   escapes) is not plain and goes to tree-sitter as before. The subset is stricter than
 *   both tree-sitter and CPython where they differ (`f(a=1, 2)`, `b'x' 'y'`, `007`).
 */

const enum Ch {
  Tab = 0x09,
  Newline = 0x0a,
  FormFeed = 0x0c,
  Return = 0x0d,
  Space = 0x20,
  Hash = 0x23,
  Quote = 0x22,
  Apostrophe = 0x27,
  Backslash = 0x5c,
  At = 0x40,
}

const isIdentifierStart = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c > 0x7f;
const isIdentifierChar = (c: number): boolean => isIdentifierStart(c) || (c >= 0x30 && c <= 0x39);
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

function allDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return true;
}

/** String prefixes Python accepts (lower-cased); those with f or t hold expressions. */
const STRING_PREFIXES = new Set(['r', 'u', 'b', 'br', 'rb', 'f', 'fr', 'rf', 't', 'tr', 'rt']);

/** Keywords that may not be names (soft keywords such as `match` or `type` may). */
const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

/** Col-0 words that continue the statement before them instead of starting one. */
const CONTINUATIONS = /^(?:else|elif|except|finally)(?![A-Za-z0-9_])/;

export interface TopLevel {
  /** Offsets where module-level statements start, ascending; the first is 0. */
  readonly starts: number[];
  /** The 0-based row of each start (every start is at column 0). */
  readonly rows: number[];
  /** The number of rows of the text (the row of its end). */
  readonly endRow: number;
}

/**
 * The module-level statement starts of `text`. Each part from one start to the next
 * holds one statement with the blank lines and comments after it (the text before the
 * first statement belongs to the first part).
 */
export function topLevelStatements(text: string): TopLevel {
  const starts: number[] = [0];
  const rows: number[] = [0];
  const n = text.length;
  let depth = 0;
  let row = 0;
  let i = 0;
  let lineStart = true;
  let continued = false;
  let lastWasDecorator = false;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (lineStart) {
      lineStart = false;
      if (depth === 0 && !continued && i > 0 && c !== Ch.Space && c !== Ch.Tab && c !== Ch.FormFeed && c !== Ch.Newline && c !== Ch.Return && c !== Ch.Hash) {
        const startsBlockPart = (c === 0x65 || c === 0x66) && CONTINUATIONS.test(text.slice(i, i + 8));
        if (!startsBlockPart && !lastWasDecorator) {
          starts.push(i);
          rows.push(row);
        }
        lastWasDecorator = c === Ch.At;
      } else if (i === 0) {
        lastWasDecorator = c === Ch.At;
      }
      continued = false;
    }
    if (c === Ch.Newline) {
      row++;
      i++;
      lineStart = true;
    } else if (c === Ch.Return) {
      row++;
      i += text.charCodeAt(i + 1) === Ch.Newline ? 2 : 1;
      lineStart = true;
    } else if (c === Ch.Hash) {
      while (i < n && text.charCodeAt(i) !== Ch.Newline && text.charCodeAt(i) !== Ch.Return) i++;
    } else if (c === Ch.Backslash) {
      const next = text.charCodeAt(i + 1);
      if (next === Ch.Newline || next === Ch.Return) continued = true;
      i++;
    } else if (c === Ch.Quote || c === Ch.Apostrophe) {
      const end = skipString(text, i, false);
      row += countRows(text, i, end);
      i = end;
    } else if (isIdentifierStart(c)) {
      const from = i;
      while (i < n && isIdentifierChar(text.charCodeAt(i))) i++;
      const q = text.charCodeAt(i);
      if ((q === Ch.Quote || q === Ch.Apostrophe) && i - from <= 2 && STRING_PREFIXES.has(text.slice(from, i).toLowerCase())) {
        const prefix = text.slice(from, i).toLowerCase();
        const end = skipString(text, i, prefix.includes('f') || prefix.includes('t'));
        row += countRows(text, i, end);
        i = end;
      }
    } else {
      if (c === 0x28 || c === 0x5b || c === 0x7b) depth++;
      else if ((c === 0x29 || c === 0x5d || c === 0x7d) && depth > 0) depth--;
      i++;
    }
  }
  return { starts, rows, endRow: row };
}

function countRows(text: string, from: number, to: number): number {
  let rows = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.Newline) rows++;
    else if (c === Ch.Return && text.charCodeAt(i + 1) !== Ch.Newline) rows++;
  }
  return rows;
}

/**
 * The end of the string literal whose quote is at `at`. An unterminated one-line string
 * ends at its line's end, an unterminated triple-quoted one at the text's end. In an
 * f-string (or t-string) a replacement field is skipped with its brackets and the strings
 * inside it (Python 3.12 lets those reuse the outer quote).
 */
function skipString(text: string, at: number, holdsFields: boolean): number {
  const n = text.length;
  const quote = text.charCodeAt(at);
  const triple = text.charCodeAt(at + 1) === quote && text.charCodeAt(at + 2) === quote;
  let i = at + (triple ? 3 : 1);
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === Ch.Backslash) {
      i += 2;
    } else if (c === quote) {
      if (!triple) return i + 1;
      if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) return i + 3;
      i++;
    } else if (!triple && (c === Ch.Newline || c === Ch.Return)) {
      return i;
    } else if (holdsFields && c === 0x7b) {
      if (text.charCodeAt(i + 1) === 0x7b) i += 2;
      else i = skipField(text, i + 1);
    } else {
      i++;
    }
  }
  return n;
}

/** The end of an f-string replacement field whose text starts at `from` (after its `{`). */
function skipField(text: string, from: number): number {
  const n = text.length;
  let depth = 0;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === Ch.Quote || c === Ch.Apostrophe) {
      i = skipString(text, i, true);
    } else if (c === 0x28 || c === 0x5b || c === 0x7b) {
      depth++;
      i++;
    } else if (c === 0x29 || c === 0x5d) {
      depth--;
      i++;
    } else if (c === 0x7d) {
      if (depth === 0) return i + 1;
      depth--;
      i++;
    } else {
      i++;
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------
// Plain statements

const enum Tok {
  Name,
  Number,
  String,
  Op,
  Newline,
  End,
}

/** Thrown (never escapes isPlainStatement) when the text leaves the subset. */
const NOT_PLAIN = { notPlain: true };

/** What an expression is, as far as being an assignment target goes. */
const enum Shape {
  Target,
  Tuple,
  Other,
}

const OPERATORS = [
  '**=', '//=', '>>=', '<<=', '...',
  '**', '//', '>>', '<<', '<=', '>=', '==', '!=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '@=',
  '(', ')', '[', ']', '{', '}', ',', ':', '.', '+', '-', '*', '/', '%', '&', '|', '^', '~', '<', '>', '=', '@',
];
/** The operators by first character, longest first. */
const OPERATORS_BY_CHAR = new Map<number, string[]>();
for (const op of OPERATORS) {
  const list = OPERATORS_BY_CHAR.get(op.charCodeAt(0)) ?? [];
  list.push(op);
  OPERATORS_BY_CHAR.set(op.charCodeAt(0), list);
}
const AUGMENTED = new Set(['+=', '-=', '*=', '/=', '//=', '%=', '**=', '&=', '|=', '^=', '>>=', '<<=', '@=']);
const BINARY = new Set(['+', '-', '*', '/', '//', '%', '@', '**', '<<', '>>', '&', '|', '^']);
const COMPARISON = new Set(['<', '>', '==', '>=', '<=', '!=']);
const DECIMAL = /^(?:0(?:_?0)*|[1-9](?:_?[0-9])*)$/;
const FLOAT = /^(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.)(?:[eE][+-]?[0-9](?:_?[0-9])*)?$|^[1-9](?:_?[0-9])*[eE][+-]?[0-9](?:_?[0-9])*$/;
const RADIX = /^0(?:[xX](?:_?[0-9a-fA-F])+|[oO](?:_?[0-7])+|[bB](?:_?[01])+)$/;

class PlainReader {
  private i: number;
  private depth = 0;
  tok: Tok = Tok.End;
  value = '';
  /** For a string token: whether it is a bytes literal. */
  bytes = false;
  /** Where the current token starts. */
  tokenStart = 0;
  /** For a name token: whether it is a keyword (True, False and None included). */
  keyword = false;

  constructor(
    private readonly text: string,
    private readonly start: number,
    private readonly end: number,
  ) {
    this.i = start;
    this.advance();
  }

  /** Reads the next token into tok/value. */
  advance(): void {
    const text = this.text;
    const end = this.end;
    for (;;) {
      let i = this.i;
      while (i < end) {
        const c = text.charCodeAt(i);
        if (c === Ch.Space || c === Ch.Tab) i++;
        else if (c === Ch.Hash) {
          while (i < end && text.charCodeAt(i) !== Ch.Newline && text.charCodeAt(i) !== Ch.Return) i++;
        } else break;
      }
      this.i = i;
      this.tokenStart = i;
      if (i >= end) {
        if (this.depth > 0) throw NOT_PLAIN;
        this.tok = Tok.End;
        this.value = '';
        return;
      }
      const c = text.charCodeAt(i);
      if (c === Ch.Newline || c === Ch.Return) {
        if (c === Ch.Return && text.charCodeAt(i + 1) !== Ch.Newline) throw NOT_PLAIN;
        this.i = i + (c === Ch.Return ? 2 : 1);
        if (this.depth > 0) continue;
        this.tok = Tok.Newline;
        this.value = '\n';
        return;
      }
      if (isIdentifierStart(c)) {
        let j = i;
        while (j < end && isIdentifierChar(text.charCodeAt(j))) {
          if (text.charCodeAt(j) > 0x7f) throw NOT_PLAIN;
          j++;
        }
        const q = text.charCodeAt(j);
        if (q === Ch.Quote || q === Ch.Apostrophe) {
          const prefix = text.slice(i, j).toLowerCase();
          if (prefix.length > 2 || !STRING_PREFIXES.has(prefix) || prefix.includes('f') || prefix.includes('t')) throw NOT_PLAIN;
          this.readString(j, prefix.includes('r'), prefix.includes('b'));
          return;
        }
        this.tok = Tok.Name;
        this.value = text.slice(i, j);
        // Keywords are 2 to 8 letters, lower case but for True, False and None.
        this.keyword = j - i >= 2 && j - i <= 8 && (c >= 0x61 || c === 0x54 || c === 0x46 || c === 0x4e) && KEYWORDS.has(this.value);
        this.i = j;
        return;
      }
      if (c === Ch.Quote || c === Ch.Apostrophe) {
        this.readString(i, false, false);
        return;
      }
      if (isDigit(c) || (c === 0x2e && isDigit(text.charCodeAt(i + 1)))) {
        let j = i;
        while (j < end) {
          const d = text.charCodeAt(j);
          if (isIdentifierChar(d) || d === 0x2e) j++;
          else if ((d === 0x2b || d === 0x2d) && (text.charCodeAt(j - 1) | 0x20) === 0x65 && !/^0[xX]/.test(text.slice(i, j))) j++;
          else break;
        }
        const literal = text.slice(i, j);
        this.tok = Tok.Number;
        this.value = literal;
        this.i = j;
        if (allDigits(literal) && (c !== 0x30 || literal.length === 1)) return;
        const imaginary = /[jJ]$/.test(literal) ? literal.slice(0, -1) : literal;
        if (!(DECIMAL.test(literal) || RADIX.test(literal) || FLOAT.test(imaginary) || (imaginary !== literal && DECIMAL.test(imaginary)))) throw NOT_PLAIN;
        return;
      }
      for (const op of OPERATORS_BY_CHAR.get(c) ?? []) {
        if (i + op.length <= end && (op.length === 1 || text.startsWith(op, i))) {
          if (op === '(' || op === '[' || op === '{') this.depth++;
          else if (op === ')' || op === ']' || op === '}') {
            if (this.depth === 0) throw NOT_PLAIN;
            this.depth--;
          }
          this.tok = Tok.Op;
          this.value = op;
          this.i = i + op.length;
          return;
        }
      }
      throw NOT_PLAIN;
    }
  }

  private readString(at: number, raw: boolean, bytes: boolean): void {
    const text = this.text;
    const end = this.end;
    const quote = text.charCodeAt(at);
    const triple = text.charCodeAt(at + 1) === quote && text.charCodeAt(at + 2) === quote;
    let i = at + (triple ? 3 : 1);
    for (;;) {
      if (i >= end) throw NOT_PLAIN;
      const c = text.charCodeAt(i);
      if (c === Ch.Backslash) {
        const next = text.charCodeAt(i + 1);
        // A continued line, or an escape CPython checks at compile time (\x, \u, \U, \N).
        if (next === Ch.Newline || next === Ch.Return || Number.isNaN(next)) throw NOT_PLAIN;
        if (!raw && (next === 0x78 || next === 0x75 || next === 0x55 || next === 0x4e)) throw NOT_PLAIN;
        i += 2;
      } else if (c === quote) {
        if (!triple) {
          i++;
          break;
        }
        if (text.charCodeAt(i + 1) === quote && text.charCodeAt(i + 2) === quote) {
          i += 3;
          break;
        }
        i++;
      } else if (c === Ch.Newline || c === Ch.Return) {
        if (!triple) throw NOT_PLAIN;
        if (c === Ch.Return && text.charCodeAt(i + 1) !== Ch.Newline) throw NOT_PLAIN;
        i++;
      } else if (c === 0 || (bytes && c > 0x7f)) {
        throw NOT_PLAIN;
      } else {
        i++;
      }
    }
    if (i > end) throw NOT_PLAIN;
    this.tok = Tok.String;
    this.value = '';
    this.bytes = bytes;
    this.i = i;
  }

  isOp(op: string): boolean {
    return this.tok === Tok.Op && this.value === op;
  }

  isKeyword(word: string): boolean {
    return this.tok === Tok.Name && this.keyword && this.value === word;
  }

  expectOp(op: string): void {
    if (!this.isOp(op)) throw NOT_PLAIN;
    this.advance();
  }

  /** A name that is not a keyword. */
  expectName(): string {
    if (this.tok !== Tok.Name || this.keyword) throw NOT_PLAIN;
    const name = this.value;
    this.advance();
    return name;
  }

  // ---- statements ----

  statement(): void {
    this.skipNewlines();
    // Blank lines and comments only (the text before a module's first statement).
    if (this.tok === Tok.End) return;
    // The statement starts a line, unindented (`start` is a line's start).
    const before = this.text.charCodeAt(this.tokenStart - 1);
    if (this.tokenStart !== this.start && before !== Ch.Newline) throw NOT_PLAIN;
    if (this.isKeyword('import')) this.importStatement();
    else if (this.isKeyword('from')) this.fromStatement();
    else this.expressionStatement();
    this.skipNewlines();
    // After the statement's line: blank lines and comments only.
    if (!this.atEnd()) throw NOT_PLAIN;
  }

  private atEnd(): boolean {
    return this.tok === Tok.End;
  }

  private skipNewlines(): void {
    while (this.tok === Tok.Newline) this.advance();
  }

  private importStatement(): void {
    this.advance();
    for (;;) {
      this.dottedName();
      if (this.isKeyword('as')) {
        this.advance();
        this.expectName();
      }
      if (!this.isOp(',')) return;
      this.advance();
    }
  }

  private fromStatement(): void {
    this.advance();
    let relative = false;
    while (this.isOp('.') || this.isOp('...')) {
      relative = true;
      this.advance();
    }
    if (!this.isKeyword('import')) {
      // `from __future__ import` must open the file: left to the parser.
      if (this.dottedName() === '__future__') throw NOT_PLAIN;
    } else if (!relative) {
      throw NOT_PLAIN;
    }
    if (!this.isKeyword('import')) throw NOT_PLAIN;
    this.advance();
    if (this.isOp('*')) {
      this.advance();
      return;
    }
    const parenthesised = this.isOp('(');
    if (parenthesised) this.advance();
    for (;;) {
      this.expectName();
      if (this.isKeyword('as')) {
        this.advance();
        this.expectName();
      }
      if (!this.isOp(',')) break;
      this.advance();
      if (parenthesised && this.isOp(')')) break;
    }
    if (parenthesised) this.expectOp(')');
  }

  private dottedName(): string {
    let name = this.expectName();
    while (this.isOp('.')) {
      this.advance();
      name += `.${this.expectName()}`;
    }
    return name;
  }

  private expressionStatement(): void {
    let shape = this.expressionList();
    if (this.tok === Tok.Op && AUGMENTED.has(this.value)) {
      if (shape !== Shape.Target) throw NOT_PLAIN;
      this.advance();
      this.expressionList();
      return;
    }
    while (this.isOp('=')) {
      if (shape === Shape.Other) throw NOT_PLAIN;
      this.advance();
      shape = this.expressionList();
    }
  }

  /** `a, b, c` (a trailing comma makes a tuple). */
  private expressionList(): Shape {
    const first = this.expression();
    if (!this.isOp(',')) return first;
    let allTargets = first === Shape.Target;
    while (this.isOp(',')) {
      this.advance();
      if (this.tok === Tok.Newline || this.tok === Tok.End || this.isOp('=') || (this.tok === Tok.Op && AUGMENTED.has(this.value))) break;
      allTargets = this.expression() === Shape.Target && allTargets;
    }
    return allTargets ? Shape.Tuple : Shape.Other;
  }

  // ---- expressions ----

  private expression(): Shape {
    if (this.isKeyword('lambda')) throw NOT_PLAIN;
    const shape = this.orTest();
    if (this.isKeyword('if')) throw NOT_PLAIN;
    return shape;
  }

  /** `a or b and c`: which binds tighter does not change what parses, so one level reads both. */
  private orTest(): Shape {
    let shape = this.notTest();
    while (this.isKeyword('or') || this.isKeyword('and')) {
      this.advance();
      this.notTest();
      shape = Shape.Other;
    }
    return shape;
  }

  private notTest(): Shape {
    if (this.isKeyword('not')) {
      this.advance();
      this.notTest();
      return Shape.Other;
    }
    return this.comparison();
  }

  private comparison(): Shape {
    let shape = this.arithmetic();
    for (;;) {
      if (this.tok === Tok.Op && COMPARISON.has(this.value)) this.advance();
      else if (this.isKeyword('in')) this.advance();
      else if (this.isKeyword('is')) {
        this.advance();
        if (this.isKeyword('not')) this.advance();
      } else if (this.isKeyword('not')) {
        this.advance();
        if (!this.isKeyword('in')) throw NOT_PLAIN;
        this.advance();
      } else return shape;
      this.arithmetic();
      shape = Shape.Other;
    }
  }

  private arithmetic(): Shape {
    let shape = this.factor();
    while (this.tok === Tok.Op && BINARY.has(this.value)) {
      this.advance();
      this.factor();
      shape = Shape.Other;
    }
    return shape;
  }

  private factor(): Shape {
    if (this.isOp('-') || this.isOp('+') || this.isOp('~')) {
      this.advance();
      this.factor();
      return Shape.Other;
    }
    return this.primary();
  }

  private primary(): Shape {
    let shape = this.atom();
    for (;;) {
      if (this.isOp('.')) {
        this.advance();
        this.expectName();
        shape = Shape.Target;
      } else if (this.isOp('(')) {
        this.advance();
        this.callArguments();
        shape = Shape.Other;
      } else if (this.isOp('[')) {
        this.advance();
        if (this.isOp(']')) throw NOT_PLAIN;
        this.expressionList();
        this.expectOp(']');
        shape = Shape.Target;
      } else {
        return shape;
      }
    }
  }

  private callArguments(): void {
    const keywords = new Set<string>();
    while (!this.isOp(')')) {
      if (this.isOp('*') || this.isOp('**')) throw NOT_PLAIN;
      if (this.tok === Tok.Name && !this.keyword && this.nameBeforeEquals()) {
        const name = this.value;
        if (keywords.has(name)) throw NOT_PLAIN;
        keywords.add(name);
        this.advance();
        this.advance();
        this.expression();
      } else {
        if (keywords.size > 0) throw NOT_PLAIN;
        this.expression();
      }
      if (this.isKeyword('for')) throw NOT_PLAIN;
      if (!this.isOp(',')) break;
      this.advance();
    }
    this.expectOp(')');
  }

  /** Whether the token after the current one (a name) is `=`: a keyword argument. */
  private nameBeforeEquals(): boolean {
    const saved = { i: this.i, depth: this.depth, tok: this.tok, value: this.value, bytes: this.bytes, tokenStart: this.tokenStart, keyword: this.keyword };
    this.advance();
    const equals = this.isOp('=');
    Object.assign(this, saved);
    return equals;
  }

  private atom(): Shape {
    switch (this.tok) {
      case Tok.Name: {
        const word = this.value;
        if (this.keyword) {
          if (word !== 'True' && word !== 'False' && word !== 'None') throw NOT_PLAIN;
          this.advance();
          return Shape.Other;
        }
        this.advance();
        return word === '__debug__' ? Shape.Other : Shape.Target;
      }
      case Tok.Number:
        this.advance();
        return Shape.Other;
      case Tok.String: {
        const bytes = this.bytes;
        this.advance();
        while (this.tok === Tok.String) {
          if (this.bytes !== bytes) throw NOT_PLAIN;
          this.advance();
        }
        return Shape.Other;
      }
      case Tok.Op:
        return this.display();
      default:
        throw NOT_PLAIN;
    }
  }

  /** (...), [...], {...} and `...`. */
  private display(): Shape {
    const open = this.value;
    if (open === '...') {
      this.advance();
      return Shape.Other;
    }
    if (open !== '(' && open !== '[' && open !== '{') throw NOT_PLAIN;
    this.advance();
    const close = open === '(' ? ')' : open === '[' ? ']' : '}';
    if (this.isOp(close)) {
      this.advance();
      return Shape.Other;
    }
    if (open === '{') {
      if (this.isOp('**') || this.isOp('*')) throw NOT_PLAIN;
      this.expression();
      const dict = this.isOp(':');
      for (;;) {
        if (dict) {
          this.expectOp(':');
          this.expression();
        }
        if (this.isKeyword('for')) throw NOT_PLAIN;
        if (!this.isOp(',')) break;
        this.advance();
        if (this.isOp('}')) break;
        if (this.isOp('**') || this.isOp('*')) throw NOT_PLAIN;
        this.expression();
      }
      this.expectOp('}');
      return Shape.Other;
    }
    let items = 0;
    let trailingComma = false;
    let inner = Shape.Other;
    for (;;) {
      if (this.isOp('*')) throw NOT_PLAIN;
      inner = this.expression();
      items++;
      if (this.isKeyword('for')) throw NOT_PLAIN;
      trailingComma = false;
      if (!this.isOp(',')) break;
      this.advance();
      trailingComma = true;
      if (this.isOp(close)) break;
    }
    this.expectOp(close);
    // `(x)` is x itself; `(x,)`, `(a, b)` and lists are not plain targets (left to the parser).
    return open === '(' && items === 1 && !trailingComma ? inner : Shape.Other;
  }
}

/**
 * Whether `text[start, end)` is one plain statement (see the file's comment) followed
 * only by blank lines and comments. `start` is a statement start from topLevelStatements.
 */
export function isPlainStatement(text: string, start: number, end: number): boolean {
  try {
    new PlainReader(text, start, end).statement();
    return true;
  } catch (error) {
    if (error === NOT_PLAIN) return false;
    throw error;
  }
}
