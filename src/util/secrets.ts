/**
 * Secrets must never reach stdout, stderr or a JSON report. Commands register the
 * secrets they handle, and every line they print goes through `redact`.
 */
const known = new Set<string>();

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 8) known.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of known) out = out.split(secret).join(`${secret.slice(0, 3)}…(hidden)`);
  return out;
}

/** An API key for display: its kind and that it is set, never its characters. */
export function describeKey(value: string | undefined): string {
  if (!value) return 'not set';
  return value.startsWith('sk_test_') ? 'set (sk_test_…)' : value.startsWith('sk_live_') ? 'set (sk_live_…)' : 'set';
}
