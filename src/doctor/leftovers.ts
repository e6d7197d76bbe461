/**
 * `leftover-temp-files`: temporary files of an authkit-django run that was killed while
 * writing. The command removes ours before the checks run (in our temp folders and the
 * folders our journal wrote to); what this check still finds was made somewhere the
 * journal does not name (an older version, a journal deleted since). It may hold an API
 * key, and `git add -A` would commit it.
 */
import { findLeftovers, isLeftoverName, tempFolders } from '../plan/temp-files.js';
import { stateDirFor } from '../plan/journal.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DoctorCheck } from './types.js';

export const leftoversCheck: DoctorCheck = {
  id: 'leftover-temp-files',
  family: 'env',
  run: async (ctx) => {
    const { model } = ctx;
    const found = findLeftovers(model.repoRoot);
    for (const folder of tempFolders(model.repoRoot, stateDirFor(model.projectRoot, ctx.env))) {
      let names: string[] = [];
      try {
        names = readdirSync(folder);
      } catch {
        names = [];
      }
      for (const name of names) if (isLeftoverName(name)) found.push(join(folder, name));
    }
    if (found.length === 0) return { status: 'pass', message: 'no temporary files left by an interrupted authkit-django run' };
    return {
      status: 'warn',
      message: `${found.length} temporary file${found.length === 1 ? '' : 's'} left by an interrupted authkit-django run (may hold your API key; do not commit ${found.length === 1 ? 'it' : 'them'})`,
      detail: found.map((f) => ctx.display(f)).join('\n'),
      file: found[0]!,
      fix: `delete ${found.length === 1 ? 'it' : 'them'}: rm ${found.map((f) => JSON.stringify(f)).join(' ')}`,
    };
  },
};
