/**
 * Just enough TOML and INI reading for discovery: section headers, string values,
 * string arrays. A real parser would be a dependency for four keys; these readers
 * only ever answer "found" or "not found", never guess.
 */

export interface Section {
  /** `tool.poetry`, `project`, `[package]` for array tables (`[[package]]`). */
  name: string;
  body: string;
  /** 1-based line of the header. */
  line: number;
}

/** Splits TOML or INI text into sections; text before the first header is section ''. */
export function sections(text: string): Section[] {
  const out: Section[] = [{ name: '', body: '', line: 1 }];
  const lines = text.split(/\r?\n/);
  let current = out[0]!;
  const bodies: string[][] = [[]];
  lines.forEach((raw, index) => {
    const header = /^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:[#;].*)?$/.exec(raw);
    if (header) {
      const array = header[1] === '[[';
      current = { name: array ? `[${header[2]}]` : header[2]!.replace(/\s+/g, ''), body: '', line: index + 1 };
      out.push(current);
      bodies.push([]);
    } else {
      bodies[bodies.length - 1]!.push(raw);
    }
  });
  out.forEach((section, i) => (section.body = bodies[i]!.join('\n')));
  return out;
}

export function findSection(text: string, name: string): Section | undefined {
  return sections(text).find((s) => s.name === name);
}

/** A key's raw value in a section body (TOML `k = "v"` or INI `k = v` / `k: v`), unquoted. */
export function keyValue(body: string, key: string): string | null {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^\\s*["']?${escaped}["']?\\s*[=:]\\s*(.*?)\\s*$`, 'im').exec(body);
  if (!match) return null;
  return unquote(stripComment(match[1]!));
}

/** The strings of a TOML array value (`dependencies = ["a", "b"]`, possibly over several lines). */
export function stringArray(body: string, key: string): string[] | null {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^\\s*${escaped}\\s*=\\s*\\[`, 'm').exec(body);
  if (!match) return null;
  const rest = body.slice(match.index + match[0].length);
  const out: string[] = [];
  let i = 0;
  while (i < rest.length) {
    const ch = rest[i]!;
    if (ch === ']') return out;
    if (/[\s,]/.test(ch)) {
      i++;
    } else if (ch === '#') {
      while (i < rest.length && rest[i] !== '\n') i++;
    } else if (ch === '"' || ch === "'") {
      let value = '';
      i++;
      while (i < rest.length && rest[i] !== ch) {
        if (ch === '"' && rest[i] === '\\') i++;
        value += rest[i] ?? '';
        i++;
      }
      out.push(value);
      i++;
    } else {
      return out; // an inline table or another value: stop at what was read
    }
  }
  return out;
}

function stripComment(value: string): string {
  if (/^["']/.test(value)) return value.replace(/(["'])([^]*?)\1\s*#.*$/, '$1$2$1');
  return value.replace(/\s+[#;].*$/, '');
}

function unquote(value: string): string {
  const m = /^(["'])(.*)\1$/.exec(value.trim());
  return m ? m[2]! : value.trim();
}

/** True when the section exists (`tool.poetry` also matches `tool.poetry.dependencies`). */
export function hasSection(text: string, name: string): boolean {
  return sections(text).some((s) => s.name === name || s.name.startsWith(`${name}.`));
}
