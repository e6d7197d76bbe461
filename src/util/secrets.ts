/**
 * Secrets (API keys, and whatever a project's .env or environment calls KEY, SECRET,
 * TOKEN or PASSWORD) must never reach stdout, stderr, a JSON report or a test log.
 * Commands register the secrets they handle, and the output streams redact every
 * registered one (src/util/output.ts); text that came from elsewhere (the project's
 * Python, runserver) is masked with `redactSecrets`, which also catches any
 * `sk_test_`/`sk_live_` key by its shape.
 */
import { readFileSync } from 'node:fs';

const API_KEY_PATTERN = /sk_(test|live)_[A-Za-z0-9_-]+/g;
const SENSITIVE_NAME = /KEY|SECRET|PASSWORD|PASSWD|TOKEN/i;

/** Values shorter than this are not treated as secrets: masking them would garble words. */
const MIN_SECRET_LENGTH = 8;

/** What may be shown of an API key: its well-known prefix only. */
export function maskApiKey(value: string): string {
  const prefix = /^(sk_test_|sk_live_|sk_)/.exec(value)?.[1];
  return prefix ? `${prefix}…` : '[redacted]';
}

export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  const known = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  for (const secret of known) out = out.split(secret).join(maskApiKey(secret));
  return out.replace(API_KEY_PATTERN, (match) => maskApiKey(match));
}

/** Secrets the environment holds that the project's Python will see. */
export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value !== undefined && SENSITIVE_NAME.test(name))
    .map(([, value]) => value as string);
}

/**
 * Secrets a .env file holds: the settings load them into the project's Python, which
 * may print them before it fails. A missing or unreadable file holds none.
 */
export function secretsFromDotenv(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match || !SENSITIVE_NAME.test(match[1]!)) continue;
    const value = match[2]!.trim().replace(/^(['"])(.*)\1$/, '$2');
    if (value) out.push(value);
  }
  return out;
}

/** Applies `redactSecrets` to every string inside a JSON-shaped value. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return redactSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, secrets)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, secrets)])) as T;
  }
  return value;
}

const registered = new Set<string>();

/** Adds a value the output streams must never show (short values are ignored: they would garble words). */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= MIN_SECRET_LENGTH) registered.add(value);
}

/**
 * Masks every registered secret and every string shaped like a WorkOS key: for text shown
 * from the project's own files (a diff's context lines, a snippet), which may hold a key
 * the user wrote into settings.py by hand.
 */
export function maskSecrets(text: string): string {
  return redactSecrets(text, [...registered]);
}

/** Removes every registered secret from text about to be printed. */
export function redact(text: string): string {
  let out = text;
  for (const secret of [...registered].sort((a, b) => b.length - a.length)) out = out.split(secret).join(maskApiKey(secret));
  return out;
}
