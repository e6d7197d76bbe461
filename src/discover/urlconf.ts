/**
 * ROOT_URLCONF and the file it names: a module (`mysite/urls.py`), a package
 * (`mysite/urls/__init__.py`) or a module inside one (`mysite.urls.www`). Also lists
 * the URL modules it includes, following the project's own, for the existing-auth check.
 */
import { lineOf } from '../python/parser.js';
import { findCalls, positionalArguments, stringLiteralValue } from '../python/locate.js';
import { resolveModule } from './python-modules.js';
import type { SettingsChain } from './settings-chain.js';
import { short } from './snippet.js';
import type { SourceCache } from './source-cache.js';

export interface UrlconfInfo {
  rootUrlconf: string | null;
  urlsFile: string | null;
}

export function resolveUrlconf(cache: SourceCache, chain: SettingsChain, roots: string[]): UrlconfInfo {
  const binding = chain.namespace.get('ROOT_URLCONF');
  if (!binding) {
    cache.report({
      code: 'root-urlconf-missing',
      message: 'the settings do not set ROOT_URLCONF',
      file: chain.loadedFile,
    });
    return { rootUrlconf: null, urlsFile: null };
  }
  if (binding.value.kind !== 'str') {
    cache.report({
      code: 'root-urlconf-computed',
      message: `ROOT_URLCONF is computed (${binding.node ? short(binding.node.text) : 'not a string'}); authkit-django cannot tell which urls.py it names`,
      file: binding.file,
      line: binding.line,
    });
    return { rootUrlconf: null, urlsFile: null };
  }
  const rootUrlconf = binding.value.value;
  const urlsFile = resolveModule(cache, rootUrlconf, roots);
  if (!urlsFile) {
    cache.report({
      code: 'urls-module-missing',
      message: `ROOT_URLCONF is "${rootUrlconf}", but there is no such module in the project`,
      file: binding.file,
      line: binding.line,
    });
  }
  return { rootUrlconf, urlsFile };
}

export interface UrlInclude {
  /** The dotted module given to include(). */
  module: string;
  /** The URL module that includes it. */
  file: string;
  line: number;
}

/** Every `include("dotted.module")` in the URL modules reachable from `urlsFile` within the project. */
export function urlIncludes(cache: SourceCache, urlsFile: string, roots: string[], maxDepth = 3): UrlInclude[] {
  const out: UrlInclude[] = [];
  const seen = new Set<string>();
  const visit = (file: string, depth: number): void => {
    if (seen.has(file) || depth > maxDepth) return;
    seen.add(file);
    const tree = cache.tree(file);
    if (!tree) return;
    for (const call of findCalls(tree, (callee) => callee === 'include' || callee.endsWith('.include'), ['include'])) {
      const first = positionalArguments(call)[0];
      const module = stringLiteralValue(first);
      if (module === null) continue;
      out.push({ module, file, line: lineOf(call) });
      const local = resolveModule(cache, module, roots);
      if (local) visit(local, depth + 1);
    }
  };
  visit(urlsFile, 0);
  return out;
}
