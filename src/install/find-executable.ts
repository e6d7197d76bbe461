/**
 * Finds a program the way spawn will: a path as given, a bare name on PATH. Looking first
 * lets a missing tool get a message that names the way out, instead of a bare ENOENT.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    if (process.platform !== 'win32') accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findExecutable(program: string, env: NodeJS.ProcessEnv, cwd: string): string | null {
  const extensions =
    process.platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';').filter(Boolean)] : [''];
  if (program.includes('/') || (process.platform === 'win32' && program.includes('\\'))) {
    const path = isAbsolute(program) ? program : resolve(cwd, program);
    return extensions.map((ext) => path + ext).find(isExecutableFile) ?? null;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of extensions) {
      const candidate = join(dir, program + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}
