/**
 * The .env file: add the two WorkOS keys when missing, keep every other line, comment
 * and order, and never replace a different existing value unless the user said so.
 * Values never leave this module except into the file itself.
 */
import { basename } from 'node:path';
import type { StepOutcome } from '../plan/types.js';
import { detectEol } from '../python/style.js';
import type { PlanContext } from './context.js';
import { envTarget } from './env-target.js';

export const CREDENTIALS = [
  { key: 'WORKOS_API_KEY', prefix: 'sk_', option: 'apiKey', flag: '--api-key' },
  { key: 'WORKOS_CLIENT_ID', prefix: 'client_', option: 'clientId', flag: '--client-id' },
] as const;

export interface DotenvEntry {
  key: string;
  value: string;
  /** 0-based line index. */
  line: number;
}

const ENTRY = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.]*)(\s*=\s*)(.*?)\s*$/;

/** Reads `KEY=value` lines the way python-dotenv does (export prefix, quotes, inline comments). */
export function parseDotenv(text: string): Map<string, DotenvEntry> {
  const entries = new Map<string, DotenvEntry>();
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, line) => {
      const match = ENTRY.exec(raw);
      if (!match) return;
      entries.set(match[2]!, { key: match[2]!, value: unquote(match[4]!), line });
    });
  return entries;
}

function unquote(raw: string): string {
  const quoted = /^(['"])(.*)\1(\s+#.*)?$/.exec(raw);
  if (quoted) return quoted[2]!;
  return raw.replace(/\s+#.*$/, '');
}

/** Replaces the value on one line, keeping `export`, spacing and the quote style. */
function replaceValue(line: string, value: string): string {
  const match = ENTRY.exec(line);
  if (!match) return line;
  const quote = /^(['"])/.exec(match[4]!)?.[1] ?? '';
  return `${match[1]}${match[2]}${match[3]}${quote}${value}${quote}`;
}

export function planDotenv(ctx: PlanContext): StepOutcome[] {
  const target = envTarget(ctx);
  const file = target.file;
  const original = ctx.workspace.read(file);
  let text = original ?? '';
  const eol = original === null ? '\n' : detectEol(text);
  const entries = parseDotenv(text);
  const outcomes: StepOutcome[] = [];
  const appended: string[] = [];
  const shown = ctx.display(file);

  for (const cred of CREDENTIALS) {
    const given = ctx.options[cred.option];
    const existing = entries.get(cred.key);
    const id = `env.${cred.key.toLowerCase()}`;
    if (existing) {
      const where = { file, line: existing.line + 1 };
      if (given === undefined || given === existing.value) {
        if (!existing.value.startsWith(cred.prefix)) {
          outcomes.push({
            id,
            status: 'manual',
            ...where,
            summary: `${cred.key} in ${shown} does not start with ${cred.prefix}`,
            reason: 'the value looks wrong; the tool does not replace it on its own',
            snippet: `${cred.key}=${cred.prefix}...`,
          });
        } else {
          outcomes.push({ id, status: 'done', ...where, summary: `${cred.key} is set in ${shown}` });
        }
      } else if (ctx.options.replaceExistingEnvValues) {
        const lines = text.split(/\r?\n/);
        lines[existing.line] = replaceValue(lines[existing.line]!, given);
        text = lines.join(eol);
        outcomes.push({ id, status: 'change', ...where, summary: `replace ${cred.key} in ${shown}` });
      } else {
        outcomes.push({
          id,
          status: 'done',
          ...where,
          summary: `${cred.key} is set in ${shown}`,
          note: `kept the existing value, which differs from the one given (run without --yes to replace it)`,
        });
      }
    } else if (given !== undefined) {
      appended.push(`${cred.key}=${given}`);
      outcomes.push({ id, status: original === null ? 'create' : 'change', file, summary: `add ${cred.key} to ${shown}` });
    } else {
      outcomes.push({
        id,
        status: 'manual',
        file,
        summary: `${cred.key} is missing`,
        reason: `no value was given (${cred.flag}, $${cred.key}, or the prompt)`,
        snippet: `${cred.key}=${cred.prefix}...   # WorkOS dashboard -> API Keys`,
      });
    }
  }

  if (appended.length > 0) {
    const separator = text === '' || text.endsWith('\n') ? '' : eol;
    const header = text === '' ? '' : eol;
    text = `${text}${separator}${header}# WorkOS AuthKit${eol}${appended.join(eol)}${eol}`;
  }
  if (text !== (original ?? '')) ctx.workspace.write(file, text, 0o600);
  if (target.why) for (const o of outcomes) if (o.status === 'create' || o.status === 'change') o.note = `not ${ctx.display(ctx.model.env.file)}: ${target.why}`;
  return outcomes;
}

/** Masks values of secret-looking keys in a line of a .env file (for diffs and logs). */
export function maskDotenvLine(line: string): string {
  const match = ENTRY.exec(line);
  if (!match || !/(KEY|SECRET|TOKEN|PASSWORD|PASSWD)/i.test(match[2]!)) return line;
  return `${match[1]}${match[2]}${match[3]}********`;
}

export function isDotenvFile(file: string): boolean {
  return /^\.env(\..*)?$/.test(basename(file));
}
