/**
 * Reads the few things the login flow needs from a page: its visible text, its links and
 * its forms. Pages here are Django templates the flow itself asks for, so a tolerant
 * tag scanner is enough; it is not a general HTML parser.
 */

export interface Link {
  href: string;
  text: string;
}

export interface Form {
  method: string;
  action: string;
  /** Named inputs and their values (hidden ones included: the CSRF token is one). */
  inputs: Record<string, string>;
  /** The form's visible text (button labels). */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', middot: '·' };

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return Number.isFinite(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : whole;
    }
    return ENTITIES[code.toLowerCase()] ?? whole;
  });
}

/** Attributes of one start tag (`<a href="/x" class=y>` -> {href: '/x', class: 'y'}). */
export function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  const inner = tag.replace(/^<\s*[\w-]+/, '').replace(/\/?>$/, '');
  const pattern = /([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const match of inner.matchAll(pattern)) {
    const name = match[1]!.toLowerCase();
    if (name in out) continue;
    out[name] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return out;
}

function withoutScripts(html: string): string {
  return html.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<!--[\s\S]*?-->/g, ' ');
}

/** The text a person sees, white space collapsed. */
export function visibleText(html: string): string {
  return decodeEntities(withoutScripts(html).replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** The page's <title>, or its first <h1>, as text. */
export function heading(html: string): string {
  const h1 = /<h1\b[^>]*>([\s\S]*?)<\/h1\s*>/i.exec(html);
  if (h1) return visibleText(h1[1]!);
  const title = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(html);
  return title ? visibleText(title[1]!) : '';
}

export function links(html: string): Link[] {
  const out: Link[] = [];
  for (const match of withoutScripts(html).matchAll(/(<a\b[^>]*>)([\s\S]*?)<\/a\s*>/gi)) {
    const attrs = attributes(match[1]!);
    if (attrs.href !== undefined) out.push({ href: attrs.href, text: visibleText(match[2]!) });
  }
  return out;
}

export function forms(html: string): Form[] {
  const out: Form[] = [];
  for (const match of withoutScripts(html).matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form\s*>/gi)) {
    const attrs = attributes(match[1]!);
    const inputs: Record<string, string> = {};
    for (const input of match[2]!.matchAll(/<(input|button)\b[^>]*>/gi)) {
      const a = attributes(input[0]);
      // A button's name/value is sent only when it is the one pressed; none of ours has one.
      if (input[1]!.toLowerCase() === 'input' && a.name) inputs[a.name] = a.value ?? '';
    }
    out.push({ method: (attrs.method ?? 'get').toLowerCase(), action: attrs.action ?? '', inputs, text: visibleText(match[2]!) });
  }
  return out;
}
