/**
 * Review: what the plan will do, for people (summary + colored unified diff) and for
 * programs (the JSON shape of each step). Every line shown is masked: .env values of
 * secret-looking keys, and in any file a registered secret or a string shaped like a
 * WorkOS key (a key written into settings.py by hand shows up as diff context).
 */
import { isDotenvFile, maskDotenvLine } from '../integrate/dotenv-file.js';
import { wrapText, type Palette } from '../util/output.js';
import { maskSecrets } from '../util/secrets.js';
import { diffStat, unifiedDiff } from './diff.js';
import type { FileChange, StepOutcome, StepStatus } from './types.js';

export const JSON_STATUS: Record<StepStatus, 'created' | 'changed' | 'skipped' | 'manual'> = {
  create: 'created',
  change: 'changed',
  done: 'skipped',
  manual: 'manual',
};

export interface DiffRenderOptions {
  /** Show created files in full too (`--diff`, `--dry-run`); otherwise one line each. */
  full?: boolean;
  /** The plan's steps, to say what each created file is. */
  outcomes?: readonly StepOutcome[];
}

function lineCount(text: string | null): number {
  if (!text) return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** What a created file is, from the step that creates it: "create x.py (the home view)" -> "the home view". */
function whatItIs(file: string, outcomes: readonly StepOutcome[]): string {
  const step = outcomes.find((o) => o.file === file && o.status === 'create') ?? outcomes.find((o) => o.file === file);
  const described = step ? /\(([^()]*)\)$/.exec(step.summary)?.[1] : undefined;
  return described ?? step?.summary ?? 'new file';
}

/** A generated module says what it is on its first line (docstring or comment). */
function firstLineDescription(text: string | null): string | undefined {
  const first = (text ?? '').split('\n', 1)[0]!;
  const match = /^(?:"""|# )(.+?)(?: \(added by authkit-django\))?\.?(?:""")?$/.exec(first.trim());
  const words = match?.[1];
  // "The home view" reads as "the home view" after the line count, like the others.
  return words && /^(The|A|An) /.test(words) ? words[0]!.toLowerCase() + words.slice(1) : words;
}

/**
 * Changed files as unified diffs; created files as one line each (path, line count, what it
 * is), or in full with `full`: a 380-line view module printed before a question buries it.
 */
export function renderDiffs(changes: FileChange[], display: (file: string) => string, palette: Palette, options: DiffRenderOptions = {}): string {
  const created = options.full ? [] : changes.filter((c) => c.before === null);
  const shown = changes.filter((c) => !created.includes(c));
  const parts: string[] = [];
  if (created.length > 0) {
    const width = Math.max(...created.map((c) => display(c.file).length));
    parts.push(
      [
        palette.bold('New files (--diff shows them in full):'),
        ...created.map((c) => {
          const lines = lineCount(c.after);
          const what = whatItIs(c.file, options.outcomes ?? []);
          const shownWhat = what === 'new file' ? (firstLineDescription(c.after) ?? what) : what;
          return `  ${palette.green('+')} ${display(c.file).padEnd(width)}  ${palette.dim(`${lines} line${lines === 1 ? '' : 's'}, ${shownWhat}`)}`;
        }),
      ].join('\n'),
    );
  }
  for (const c of shown) {
    parts.push(
      unifiedDiff(display(c.file), c.before, c.after, {
        palette,
        mask: isDotenvFile(c.file) ? (line: string) => maskSecrets(maskDotenvLine(line)) : maskSecrets,
      }),
    );
  }
  return parts.join('\n\n');
}

const MARK: Record<StepStatus, (p: Palette) => string> = {
  create: (p) => p.green('create'),
  change: (p) => p.yellow('change'),
  done: (p) => p.dim('done  '),
  manual: (p) => p.red('manual'),
};

/** The column a step's text starts at, after `  create  `. */
const TEXT_COLUMN = 10;

export function renderSummary(outcomes: StepOutcome[], changes: FileChange[], display: (file: string) => string, p: Palette, width = Infinity): string {
  const lines: string[] = [];
  // Each text broken at spaces to fit the terminal, continued under its own first column.
  const room = Math.max(20, width - TEXT_COLUMN);
  const indent = ' '.repeat(TEXT_COLUMN);
  const block = (text: string, paint: (s: string) => string = (s) => s) => wrapText(text, room, room).map((l) => `${indent}${paint(l)}`);
  for (const o of outcomes) {
    const where = o.file && o.status === 'manual' ? `  ${display(o.file)}${o.line ? `:${o.line}` : ''}` : '';
    const [first = '', ...more] = wrapText(`${o.summary}${where}`, room, room);
    lines.push(`  ${MARK[o.status](p)}  ${first}`, ...more.map((l) => `${indent}${l}`));
    if (o.note) lines.push(...block(maskSecrets(o.note), p.dim));
    if (o.status === 'manual' && o.reason) lines.push(...block(`why: ${o.reason}`, p.dim));
  }
  const created = changes.filter((c) => c.before === null).length;
  const changed = changes.length - created;
  const done = outcomes.filter((o) => o.status === 'done').length;
  const stat = changes.reduce(
    (acc, c) => {
      const s = diffStat(c.before, c.after);
      return { added: acc.added + s.added, removed: acc.removed + s.removed };
    },
    { added: 0, removed: 0 },
  );
  lines.push('');
  lines.push(
    `  ${created} file${created === 1 ? '' : 's'} to create, ${changed} to change (+${stat.added} -${stat.removed} lines), ${done} step${done === 1 ? '' : 's'} already done`,
  );
  return lines.join('\n');
}

/** Manual steps, each with where and the snippet to add. */
export function renderManualSteps(outcomes: StepOutcome[], display: (file: string) => string, p: Palette): string {
  const manual = outcomes.filter((o) => o.status === 'manual' || (o.snippet && o.status === 'done'));
  return manual
    .map((o) => {
      const where = o.file ? `${display(o.file)}${o.line ? `:${o.line}` : ''}` : '';
      const head = `${p.bold(o.status === 'manual' ? 'To do by hand' : 'Optional')}: ${o.summary}${where ? ` (${where})` : ''}`;
      const body = [o.reason && o.status === 'manual' ? `  ${o.reason}` : '', o.note && o.status !== 'manual' ? `  ${o.note}` : '']
        .filter(Boolean)
        .join('\n');
      const snippet = o.snippet ? maskSecrets(o.snippet).split('\n').map((l) => `    ${p.green(l)}`).join('\n') : '';
      return [head, body, snippet].filter(Boolean).join('\n');
    })
    .join('\n\n');
}
