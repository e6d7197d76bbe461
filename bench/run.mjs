// Runs every benchmark in turn (each prints its own table): `npm run bench`.
// Extra arguments (e.g. --runs 9) are passed to each.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let failed = false;
for (const name of ['inspect.mjs', 'init.mjs', 'install.mjs', 'large-files.mjs', 'property.mjs', 'flow.mjs', 'middleware.mjs']) {
  const script = join(here, name);
  if (!existsSync(script)) continue;
  console.log(`\n== bench/${name}`);
  const run = spawnSync(process.execPath, [script, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
