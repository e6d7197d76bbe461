/**
 * The syntax tree of one Python module, held as a run of segments: each segment is a
 * web-tree-sitter tree and the range of module-level statements it answers for. A fresh
 * parse is one segment. An edit re-parses only the statements around it (parser.ts) and
 * keeps the trees of the rest, so planning several edits of a 2 MB settings file does not
 * re-parse, or re-walk, the whole file each time. Everything here reads; nothing edits.
 */
import type { Node, Tree as SyntaxTree } from 'web-tree-sitter';

/** The module-level children of `tree` whose start lies in [start, end). */
export interface Segment {
  readonly tree: SyntaxTree;
  readonly start: number;
  readonly end: number;
  /**
   * For a tree shifted by edits before it: the tree it was copied from, where the same
   * statements sit `shift` characters earlier. Readers that need only the shape and text
   * of nodes, not their offsets, read that one and share its cached walks.
   */
  readonly origin?: { readonly tree: SyntaxTree; readonly shift: number };
  /**
   * True where the segment's text is known to parse cleanly before its tree is read (a
   * run of plain statements of a module parsed in parts, parse-in-parts.ts): asking about
   * errors then parses nothing.
   */
  readonly clean?: boolean;
}

/** Whether a segment's statements hold a syntax error (read without a parse where that is known). */
export const segmentHasError = (segment: Segment): boolean => (segment.clean === undefined ? segment.tree.rootNode.hasError : !segment.clean);

const inSegment = (segment: Segment, node: Node): boolean => node.startIndex >= segment.start && node.startIndex < segment.end;

const whole = (segment: Segment): boolean => segment.start === 0 && segment.end === Infinity;

export class ModuleTree {
  readonly rootNode: ModuleRoot;

  constructor(
    /** The module's source text. */
    readonly text: string,
    readonly segments: readonly Segment[],
  ) {
    this.rootNode = new ModuleRoot(this);
  }
}

/** What callers ask of the module node: its children, in file order, over every segment. */
export class ModuleRoot {
  readonly type = 'module';

  constructor(private readonly module: ModuleTree) {}

  private collect(read: (root: Node) => (Node | null)[]): Node[] {
    const out: Node[] = [];
    for (const segment of this.module.segments) {
      const nodes = read(segment.tree.rootNode);
      if (whole(segment)) {
        for (const node of nodes) if (node) out.push(node);
      } else {
        for (const node of nodes) if (node && inSegment(segment, node)) out.push(node);
      }
    }
    return out;
  }

  get namedChildren(): Node[] {
    return this.collect((root) => root.namedChildren);
  }

  get children(): Node[] {
    return this.collect((root) => root.children);
  }

  get hasError(): boolean {
    return this.module.segments.some(segmentHasError);
  }

  get text(): string {
    return this.module.text;
  }

  descendantsOfType(types: string | string[]): Node[] {
    return this.collect((root) => root.descendantsOfType(types));
  }

  /** The first named module-level child that contains `index` or starts after it. */
  firstNamedChildForIndex(index: number): Node | null {
    for (const segment of this.module.segments) {
      if (segment.end <= index) continue;
      const child = segment.tree.rootNode.firstNamedChildForIndex(Math.max(index, segment.start));
      // A child past the segment's range belongs to a later segment (this tree's copy of it is stale).
      if (child && inSegment(segment, child)) return child;
    }
    return null;
  }

  /** The last `count` named module-level children that `keep` accepts, in file order. */
  lastNamedChildren(count: number, keep: (node: Node) => boolean): Node[] {
    const found: Node[] = [];
    for (let s = this.module.segments.length - 1; s >= 0 && found.length < count; s--) {
      const segment = this.module.segments[s]!;
      const root = segment.tree.rootNode;
      for (let i = root.namedChildCount - 1; i >= 0 && found.length < count; i--) {
        const child = root.namedChild(i);
        if (!child) continue;
        if (child.startIndex >= segment.end) continue;
        if (child.startIndex < segment.start) break;
        if (keep(child)) found.unshift(child);
      }
    }
    return found;
  }

  /** The named module-level children one at a time, in file order (a loop may stop early). */
  *namedChildrenInOrder(): Generator<Node> {
    for (const segment of this.module.segments) {
      const cursor = segment.tree.walk();
      try {
        if (!cursor.gotoFirstChild()) continue;
        do {
          if (!cursor.nodeIsNamed) continue;
          const start = cursor.startIndex;
          if (start >= segment.end) break;
          if (start >= segment.start) yield cursor.currentNode;
        } while (cursor.gotoNextSibling());
      } finally {
        cursor.delete();
      }
    }
  }

  /** The S-expression of the module, as web-tree-sitter prints a tree's root node. */
  toString(): string {
    const children = this.namedChildren.map((child) => child.toString());
    return children.length === 0 ? '(module)' : `(module ${children.join(' ')})`;
  }
}
