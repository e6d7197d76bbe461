/**
 * Plans the requirements-file change for pip projects: which of the packages authkit-django
 * needs are missing from the file, and the file's new text with them added in the file's own
 * style. Pure: text in, text out; the apply stage writes it.
 *
 * The file's bytes are never re-printed: lines are only inserted, so comments, options
 * (`-r`, `-c`, `-e`, `--index-url`), continuations, the BOM and line endings stay as they were.
 */

export interface RequirementsRefusal {
  /** Stable, kebab-case identifier. */
  code: 'requirements-hash-pinned';
  message: string;
  /** 1-based line of the evidence. */
  line: number;
}

export interface RequirementsPlan {
  /** The new text; the input itself (byte-identical) when nothing is added. */
  text: string;
  changed: boolean;
  /** Packages inserted, as given. */
  added: string[];
  /** Packages the file already names (any pin, extras, markers or spelling), as given. */
  alreadyPresent: string[];
  /** Where the packages went: in sorted place, or appended at the end. */
  placement: 'sorted' | 'appended' | null;
  /** Set when the file must not be edited by hand; `text` is then the input. */
  refusal: RequirementsRefusal | null;
}

/** PEP 503 normalisation: case-insensitive, runs of `-`, `_`, `.` are one `-`. */
export function normalizePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

interface PhysicalLine {
  content: string;
  /** `\n`, `\r\n`, `\r`, or '' for a last line without one. */
  terminator: string;
}

interface Entry {
  /** Index of the first and last physical line of this logical line (continuations joined). */
  first: number;
  last: number;
  /** The logical line, continuations joined, comment removed, trimmed. */
  text: string;
  /** The normalised name of the package this line requires, when it names one. */
  name: string | null;
}

// pip treats `#` as a comment at the start of a line or after whitespace; `url#egg=x` is not one.
const COMMENT = /(^|\s+)#.*$/;
// PEP 508 names: letters, digits, `.`, `_`, `-`, starting and ending with a letter or digit.
const NAME_AT_START = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/;
// What may follow a name in a requirement: extras, a version, markers, `@ url`, or nothing.
const AFTER_NAME = /^(\s|\[|\(|<|>|=|!|~|;|@|,|$)/;
const EGG_FRAGMENT = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/;

function splitLines(body: string): PhysicalLine[] {
  const lines: PhysicalLine[] = [];
  for (const match of body.matchAll(/([^\r\n]*)(\r\n|\n|\r)|([^\r\n]+)$/g)) {
    if (match[3] !== undefined) lines.push({ content: match[3], terminator: '' });
    else lines.push({ content: match[1] ?? '', terminator: match[2] ?? '' });
  }
  return lines;
}

/** A line continues onto the next when it ends with a backslash and holds no comment (as pip reads it). */
function continues(content: string): boolean {
  return content.endsWith('\\') && !COMMENT.test(content);
}

/** The name a path or URL requirement installs: its `#egg=` fragment, or its archive's file name. */
function nameFromLocation(location: string): string | null {
  const egg = location.match(EGG_FRAGMENT);
  if (egg?.[1]) return egg[1];
  const file = location.split(/[?#]/)[0]?.split(/[\\/]/).pop() ?? '';
  const wheel = file.match(/^([A-Za-z0-9._]+)-[^-]+(-[^-]+)?-[^-]+-[^-]+-[^-]+\.whl$/);
  if (wheel?.[1]) return wheel[1];
  const sdist = file.match(/^(.+?)-\d[^-]*\.(tar\.gz|tar\.bz2|tgz|zip)$/);
  return sdist?.[1] ?? null;
}

/** The normalised name a logical requirements line installs, or null (comment, option, blank). */
export function requirementName(logicalLine: string): string | null {
  const text = logicalLine.replace(COMMENT, '').trim();
  if (text === '') return null;
  if (text.startsWith('-')) {
    // Options name nothing, except editables, which install the project their egg fragment names.
    const editable = text.match(/^(?:-e|--editable)(?:\s+|=)(\S+)/);
    const name = editable?.[1] ? nameFromLocation(editable[1]) : null;
    return name ? normalizePackageName(name) : null;
  }
  const named = text.match(NAME_AT_START);
  if (named?.[1] && AFTER_NAME.test(text.slice(named[1].length))) return normalizePackageName(named[1]);
  const location = nameFromLocation(text.split(/\s/)[0] ?? '');
  return location ? normalizePackageName(location) : null;
}

function entriesOf(lines: PhysicalLine[]): Entry[] {
  const entries: Entry[] = [];
  let index = 0;
  while (index < lines.length) {
    const first = index;
    const parts: string[] = [];
    let content = lines[index]?.content ?? '';
    while (continues(content) && index + 1 < lines.length) {
      parts.push(content.slice(0, -1));
      index += 1;
      content = lines[index]?.content ?? '';
    }
    parts.push(continues(content) ? content.slice(0, -1) : content);
    const joined = parts.join('');
    entries.push({ first, last: index, text: joined.replace(COMMENT, '').trim(), name: requirementName(joined) });
    index += 1;
  }
  return entries;
}

function isSorted(names: string[]): boolean {
  if (names.length < 2) return false; // one line shows no order to follow
  return names.every((name, i) => i === 0 || (names[i - 1] ?? '') <= name);
}

/** Inserts `name` after the last requirement that sorts before it, or before the first one. */
function insertSorted(lines: PhysicalLine[], name: string, eol: string): void {
  const requirements = entriesOf(lines).filter((entry) => entry.name !== null);
  const key = requirementName(name) ?? normalizePackageName(name);
  const before = requirements.filter((entry) => (entry.name ?? '') < key).pop();
  if (!before) {
    lines.splice(requirements[0]?.first ?? 0, 0, { content: name, terminator: eol });
    return;
  }
  const after = lines[before.last];
  if (after && continues(after.content)) {
    // Only a dangling continuation at the very end can get here: end it first.
    append(lines, [name], eol);
    return;
  }
  if (after && after.terminator === '') {
    // The last line of a file without a final newline: the new line takes over that style.
    after.terminator = eol;
    lines.splice(before.last + 1, 0, { content: name, terminator: '' });
    return;
  }
  lines.splice(before.last + 1, 0, { content: name, terminator: eol });
}

function append(lines: PhysicalLine[], names: string[], eol: string): void {
  const last = lines[lines.length - 1];
  const hadFinalNewline = !last || last.terminator !== '';
  if (last && last.terminator === '') last.terminator = eol;
  // A dangling continuation at the end would swallow the next line: an empty line ends it.
  if (last && continues(last.content)) lines.push({ content: '', terminator: eol });
  for (const name of names) lines.push({ content: name, terminator: eol });
  if (!hadFinalNewline) {
    const end = lines[lines.length - 1];
    if (end) end.terminator = '';
  }
}

/**
 * Plans adding `packages` (bare names such as `workos`, `python-dotenv`: the installer picks the
 * versions) to a requirements file's text.
 */
export function planRequirements(text: string, packages: readonly string[]): RequirementsPlan {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = text.slice(bom.length);
  const eol = body.match(/\r\n|\n|\r/)?.[0] ?? '\n';
  const lines = splitLines(body);
  const entries = entriesOf(lines);
  const present = new Set(entries.flatMap((entry) => (entry.name ? [entry.name] : [])));

  // Packages may be given with a version (`workos>=5.13.0,<11`): presence is by name.
  const nameOf = (spec: string) => requirementName(spec) ?? normalizePackageName(spec);
  const alreadyPresent = packages.filter((spec) => present.has(nameOf(spec)));
  const missing = packages.filter((spec) => !present.has(nameOf(spec)));
  const unchanged = (refusal: RequirementsRefusal | null): RequirementsPlan => ({
    text,
    changed: false,
    added: [],
    alreadyPresent,
    placement: null,
    refusal,
  });
  if (missing.length === 0) return unchanged(null);

  // In hash-checking mode pip rejects any line without a hash, so an added bare name would
  // break `pip install -r` for everyone: such files are compiled (pip-compile), not edited.
  const hashed = entries.find((entry) => /(^|\s)--hash[=\s]/.test(entry.text));
  if (hashed) {
    return unchanged({
      code: 'requirements-hash-pinned',
      line: hashed.first + 1,
      message:
        `the requirements are pinned with --hash (line ${hashed.first + 1}), so a bare ` +
        `${missing.join(' and ')} line would make \`pip install -r\` fail: add ` +
        `${missing.join(' and ')} to the file it is compiled from (requirements.in) and compile it again`,
    });
  }

  const names = entries.flatMap((entry) => (entry.name ? [entry.name] : []));
  const sorted = isSorted(names);
  if (sorted) for (const name of missing) insertSorted(lines, name, eol);
  else append(lines, missing, eol);

  return {
    text: bom + lines.map((line) => line.content + line.terminator).join(''),
    changed: true,
    added: missing,
    alreadyPresent,
    placement: sorted ? 'sorted' : 'appended',
    refusal: null,
  };
}

/**
 * How the file states versions: `exact` when every requirement is pinned with `==` (a
 * compiled or frozen file), `loose` otherwise (or when it has fewer than two requirements).
 */
export function pinStyle(text: string): 'exact' | 'loose' {
  const requirements = entriesOf(splitLines(text.replace(/^\uFEFF/, ''))).filter((entry) => entry.name !== null && !entry.text.startsWith('-'));
  if (requirements.length < 2) return 'loose';
  return requirements.every((entry) => /==/.test(entry.text)) ? 'exact' : 'loose';
}
