// Build: type-check src/ with tsc, bundle it into dist/ with esbuild (one file per
// command, loaded lazily: a CLI that starts fast resolves a handful of modules, not a
// hundred), and copy the pinned grammar's wasm into grammar/ so the published tarball
// carries it and users never run a native build.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

try {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--noEmit'], {
    stdio: 'inherit',
  });
} catch {
  console.error('build failed: TypeScript reported the errors above');
  process.exit(1);
}

const { build } = await import('esbuild');
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'src', 'cli.ts')],
  outdir: join(root, 'dist'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies stay packages (web-tree-sitter at run time; the emulator and
  // playwright only where installed): only our own code is bundled.
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
chmodSync(join(root, 'dist', 'cli.js'), 0o755);

const grammarPackage = dirname(require.resolve('tree-sitter-python/package.json'));
mkdirSync(join(root, 'grammar'), { recursive: true });
copyFileSync(join(grammarPackage, 'tree-sitter-python.wasm'), join(root, 'grammar', 'tree-sitter-python.wasm'));
