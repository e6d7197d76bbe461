import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder that holds package.json, templates/, grammar/ and python/.
 * Every module lives exactly one folder below src/ (or dist/ once built), so the
 * same relative step works from TypeScript sources under tsx and from the build.
 */
export const packageRoot: string = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function packagePath(...parts: string[]): string {
  return join(packageRoot, ...parts);
}
