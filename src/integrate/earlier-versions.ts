/**
 * The texts earlier releases generated for each file, shipped in upgrades/<template>/
 * (collected from git history by scripts/collect-earlier-templates.mjs). They decide an
 * upgrade: a file whose text is one of them was never changed by its user, so the new
 * text may replace it; a file that matches none was changed by hand, and the closest one
 * is the base of its three-way view.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { diffStat } from '../plan/diff.js';
import { packagePath } from '../util/package-root.js';

const cache = new Map<string, string[]>();

/** Every earlier text of `template` (a path under templates/, e.g. `home.html`). */
export function earlierTexts(template: string): string[] {
  let texts = cache.get(template);
  if (texts === undefined) {
    const dir = packagePath('upgrades', template);
    texts = existsSync(dir)
      ? readdirSync(dir)
          .sort()
          .map((name) => readFileSync(`${dir}/${name}`, 'utf8'))
      : [];
    cache.set(template, texts);
  }
  return texts;
}

// Git may have turned the file's line endings into CRLF on checkout: still unchanged.
const normalized = (text: string): string => text.replace(/\r\n/g, '\n');

/** The file holds exactly what an earlier release generated. */
export function isEarlierText(template: string, text: string): boolean {
  const plain = normalized(text);
  return earlierTexts(template).some((earlier) => earlier === plain);
}

/** The earlier text closest to `text` (fewest lines differing): the base of a merge. */
export function closestEarlierText(template: string, text: string): string | undefined {
  let best: { text: string; distance: number } | undefined;
  for (const earlier of earlierTexts(template)) {
    const { added, removed } = diffStat(earlier, normalized(text));
    if (best === undefined || added + removed < best.distance) best = { text: earlier, distance: added + removed };
  }
  return best?.text;
}
