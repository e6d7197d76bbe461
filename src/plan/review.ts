/**
 * Review: what the plan will do, for people (summary + colored unified diff) and for
 * programs (the JSON shape of each step). Every line shown is masked: .env values of
 * secret-looking keys, and in any file a registered secret or a string shaped like a
 * WorkOS key (a key written into settings.py by hand shows up as diff context).
 */
import { isDotenvFile, maskDotenvLine } from '../integrate/dotenv-file.js';
import type { Palette } from '../util/output.js';
import { maskSecrets } from '../util/secrets.js';
import { diffStat, unifiedDiff } from './diff.js';
import type { FileChange, StepOutcome, StepStatus } from './types.js';

export const JSON_STATUS: Record<StepStatus, 'created' | 'changed' | 'skipped' | 'manual'> = {
  create: 'created',
  change: 'changed',
  done: 'skipped',
  manual: 'manual',
};

export function renderDiffs(changes: FileChange[], display: (file: string) => string, palette: Palette): string {
  return changes
    .map((c) =>
      unifiedDiff(display(c.file), c.before, c.after, {
        palette,
        mask: isDotenvFile(c.file) ? (line: string) => maskSecrets(maskDotenvLine(line)) : maskSecrets,
      }),
    )
    .join('\n\n');
}

const MARK: Record<StepStatus, (p: Palette) => string> = {
  create: (p) => p.green('create'),
  change: (p) => p.yellow('change'),
  done: (p) => p.dim('done  '),
  manual: (p) => p.red('manual'),
};

export function renderSummary(outcomes: StepOutcome[], changes: FileChange[], display: (file: string) => string, p: Palette): string {
  const lines: string[] = [];
  for (const o of outcomes) {
    const where = o.file ? p.dim(`  ${display(o.file)}${o.line ? `:${o.line}` : ''}`) : '';
    lines.push(`  ${MARK[o.status](p)}  ${o.summary}${o.status === 'manual' ? where : ''}`);
    if (o.note) lines.push(`          ${p.dim(maskSecrets(o.note))}`);
    if (o.status === 'manual' && o.reason) lines.push(`          ${p.dim(`why: ${o.reason}`)}`);
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
