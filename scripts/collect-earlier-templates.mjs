// Collects, from this repository's git history, every earlier text of each file the tool
// generates (templates/**, and templates removed since, such as auth_views.py) into
// upgrades/<path under templates>/<sha256 prefix>. `init` replaces a generated file whose
// text is one of these (the user never changed it) and shows a three-way view for one
// that differs from all of them. Run before a release: `node scripts/collect-earlier-templates.mjs [rev]`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
// What landed (main by default), not the work in progress of a branch.
// `--check`: write nothing, list what is missing, exit 1 if anything is (a test runs it).
const check = process.argv.includes('--check');
const rev = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'main';
const missing = [];

const paths = new Set(
  git('log', rev, '--format=', '--name-only', '--', 'templates')
    .split('\n')
    .filter((p) => p.startsWith('templates/') && !p.endsWith('README.md')),
);
let written = 0;
for (const path of [...paths].sort()) {
  const current = existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : null;
  for (const commit of git('log', rev, '--format=%H', '--', path).split('\n').filter(Boolean)) {
    let text;
    try {
      text = git('show', `${commit}:${path}`);
    } catch {
      continue; // the commit that removed it
    }
    if (text === current) continue;
    const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
    const target = join(root, 'upgrades', path.slice('templates/'.length), digest);
    if (existsSync(target)) continue;
    missing.push(target.slice(root.length + 1));
    if (check) continue;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text);
    written += 1;
  }
}
if (check) {
  for (const file of missing) console.log(`missing: ${file}`);
  process.exit(missing.length > 0 ? 1 : 0);
}
console.log(`upgrades/: ${written} earlier text(s) added`);
