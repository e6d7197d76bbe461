import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder that holds package.json, templates/, grammar/ and python/: the nearest
 * folder above this module whose package.json is authkit-django's. Works the same from
 * the TypeScript sources (under tsx) and from the bundled build in dist/.
 */
function findPackageRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'authkit-django') return dir;
    if (dir === dirname(dir)) throw new Error(`authkit-django: no package.json found above ${start}`);
  }
}

export const packageRoot: string = findPackageRoot();

export function packagePath(...parts: string[]): string {
  return join(packageRoot, ...parts);
}
