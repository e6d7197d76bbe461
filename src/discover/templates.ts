/**
 * TEMPLATES, read as syntax: the Django backend entry's BACKEND, APP_DIRS and the
 * source text of each DIRS entry (they are usually expressions like
 * `BASE_DIR / "templates"`, so the text is what matters).
 */
import { lineOf, type Node } from '../python/parser.js';
import { dictValue, sequenceLiteral, stringLiteralValue } from '../python/locate.js';
import type { TemplatesInfo } from './model.js';
import type { SettingsChain } from './settings-chain.js';
import { short } from './snippet.js';
import type { SourceCache } from './source-cache.js';

const DJANGO_BACKEND = 'django.template.backends.django.DjangoTemplates';

export function readTemplates(cache: SourceCache, chain: SettingsChain): TemplatesInfo {
  const info: TemplatesInfo = { backend: null, appDirs: null, dirs: [], file: null, line: null };
  let binding = chain.namespace.get('TEMPLATES');
  // No TEMPLATES at all is a fact for the plan (file stays null), not a reading problem.
  if (!binding) return info;
  // `TEMPLATES = BASE_TEMPLATES`: follow the name to the literal.
  for (let hops = 0; binding.node?.type === 'identifier' && hops < 3; hops++) {
    const next = chain.namespace.get(binding.node.text);
    if (!next || next === binding) break;
    binding = next;
  }
  info.file = binding.file;
  info.line = binding.line;
  const list = sequenceLiteral(binding.node);
  const entries = (list?.elements ?? []).filter((e) => e.type === 'dictionary' || e.type === 'call');
  const entry = entries.find((e) => stringLiteralValue(dictValue(e, 'BACKEND')) === DJANGO_BACKEND) ?? entries[0];
  if (!entry) {
    cache.report({
      code: 'templates-computed',
      message: `TEMPLATES is not a list of dicts authkit-django can read (${short(binding.node?.text ?? '')})`,
      file: binding.file,
      line: binding.line,
    });
    return info;
  }
  info.backend = stringLiteralValue(dictValue(entry, 'BACKEND'));
  const appDirs = dictValue(entry, 'APP_DIRS');
  info.appDirs = appDirs === null ? false : appDirs.type === 'true' ? true : appDirs.type === 'false' ? false : null;
  if (info.appDirs === null && appDirs) computed(cache, 'APP_DIRS', appDirs, binding.file);
  const dirs = dictValue(entry, 'DIRS');
  const dirsList = sequenceLiteral(dirs);
  if (dirsList) info.dirs = dirsList.elements.map((e) => e.text);
  else if (dirs) computed(cache, 'DIRS', dirs, binding.file);
  return info;
}

function computed(cache: SourceCache, key: string, node: Node, file: string): void {
  cache.report({
    code: 'templates-computed',
    message: `TEMPLATES ${key} is computed (${short(node.text)}); authkit-django cannot read it`,
    file,
    line: lineOf(node),
  });
}
