/**
 * A small seeded generator of Django projects whose settings.py and urls.py take the
 * shapes real projects use: lists or tuples, one line or one item per line, trailing
 * commas or not, comments between and after items, parenthesised continuations,
 * `X += [...]`, `X = [...] + X`, annotated assignments, `if DEBUG:` blocks that append,
 * a star-import chain, CRLF or LF, tabs or spaces, a BOM, non-ASCII strings and comments,
 * f-strings, an existing load_dotenv in several forms, existing WORKOS_* values.
 * The same seed always gives the same project (so a failure is reproduced by its seed).
 */

/** mulberry32: tiny, fast, good enough to pick shapes. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Variant {
  seed: number;
  /** Files relative to the project root, as bytes-to-be (a BOM is the U+FEFF character). */
  files: Record<string, string>;
  /** The settings module's files the project's Python executes (for the description). */
  shape: string[];
}

const APPS = [
  'django.contrib.admin',
  'django.contrib.auth',
  'django.contrib.contenttypes',
  'django.contrib.messages',
  'django.contrib.staticfiles',
  'django.contrib.humanize',
  'django.contrib.sites',
];
const MIDDLEWARE = [
  'django.middleware.security.SecurityMiddleware',
  'django.middleware.common.CommonMiddleware',
  'django.middleware.csrf.CsrfViewMiddleware',
  'django.contrib.auth.middleware.AuthenticationMiddleware',
  'django.contrib.messages.middleware.MessageMiddleware',
  'django.middleware.clickjacking.XFrameOptionsMiddleware',
];
const SESSIONS_APP = 'django.contrib.sessions';
const SESSION_MW = 'django.contrib.sessions.middleware.SessionMiddleware';

class Picker {
  constructor(private readonly next: () => number) {}
  chance(p: number): boolean {
    return this.next() < p;
  }
  one<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
}

interface Style {
  eol: string;
  indent: string;
  quote: "'" | '"';
}

function q(style: Style, value: string): string {
  return `${style.quote}${value}${style.quote}`;
}

/** One sequence literal (list or tuple) of `items`, laid out one of the ways people write them. */
function sequence(pick: Picker, style: Style, items: string[], shape: string[], name: string): string {
  const tuple = pick.chance(0.3);
  const [open, close] = tuple ? ['(', ')'] : ['[', ']'];
  const multiline = items.length > 0 && pick.chance(0.75);
  const trailing = pick.chance(0.6) || (tuple && items.length === 1);
  const comments = multiline && pick.chance(0.4);
  shape.push(`${name}:${tuple ? 'tuple' : 'list'}${multiline ? ':lines' : ':oneline'}${trailing ? ':trailing' : ''}${comments ? ':comments' : ''}`);
  if (!multiline) {
    const body = items.map((i) => q(style, i)).join(', ');
    return `${open}${body}${trailing && items.length > 0 ? ',' : ''}${close}`;
  }
  const lines: string[] = [open];
  items.forEach((item, i) => {
    if (comments && pick.chance(0.3)) lines.push(`${style.indent}# ${pick.one(['core', 'third party', 'ours', 'défaut', '応用'])}`);
    const last = i === items.length - 1;
    const comma = !last || trailing ? ',' : '';
    const after = comments && pick.chance(0.3) ? `  # ${pick.one(['needed', 'keep', 'é'])}` : '';
    lines.push(`${style.indent}${q(style, item)}${comma}${after}`);
  });
  lines.push(close);
  return lines.join(style.eol);
}

/** A list setting written in one of the real shapes; its value in Python is `items` (+ DEBUG extras). */
function listSetting(pick: Picker, style: Style, name: string, items: string[], shape: string[]): string {
  const { eol } = style;
  const form = pick.int(0, 5);
  if (form === 1 && items.length >= 2) {
    // X = [...] then X += [...]
    const cut = pick.int(1, items.length - 1);
    shape.push(`${name}:plus-equals`);
    const first = sequence(pick, style, items.slice(0, cut), shape, name);
    // `+=` needs the same kind on both sides: a tuple extends only with a tuple.
    const rest = items.slice(cut).map((i) => q(style, i));
    const more = first.startsWith('(') ? `(${rest.join(', ')},)` : `[${rest.join(', ')}]`;
    return `${name} = ${first}${eol}${name} += ${more}`;
  }
  if (form === 2 && items.length >= 2) {
    // X = [...]; X = [...] + X (prepending)
    const cut = pick.int(1, items.length - 1);
    shape.push(`${name}:prepend`);
    const tail = `[${items.slice(cut).map((i) => q(style, i)).join(', ')}]`;
    const head = `[${items.slice(0, cut).map((i) => q(style, i)).join(', ')}]`;
    return `${name} = ${tail}${eol}${name} = ${head} + ${name}`;
  }
  if (form === 3) {
    shape.push(`${name}:annotated`);
    return `${name}: list[str] = [${items.map((i) => q(style, i)).join(', ')}]`;
  }
  if (form === 4) {
    // A parenthesised continuation around the literal.
    shape.push(`${name}:parenthesised`);
    return `${name} = (${eol}${style.indent}${sequence(pick, style, items, shape, name).split(eol).join(`${eol}${style.indent}`)}${eol})`;
  }
  return `${name} = ${sequence(pick, style, items, shape, name)}`;
}

function subset(pick: Picker, items: string[], min: number): string[] {
  const out = items.filter(() => pick.chance(0.7));
  while (out.length < min) {
    const extra = items.find((i) => !out.includes(i));
    if (!extra) break;
    out.push(extra);
  }
  return items.filter((i) => out.includes(i));
}

export function generate(seed: number): Variant {
  const pick = new Picker(rng(seed));
  const style: Style = {
    eol: pick.chance(0.25) ? '\r\n' : '\n',
    indent: pick.one(['    ', '    ', '  ', '\t']),
    quote: pick.one(["'", '"'] as const),
  };
  const { eol } = style;
  const shape: string[] = [`eol:${eol === '\n' ? 'lf' : 'crlf'}`, `indent:${JSON.stringify(style.indent)}`, `quote:${style.quote}`];
  const bom = pick.chance(0.1) ? '\ufeff' : '';
  if (bom) shape.push('bom');

  const apps = subset(pick, APPS, 2);
  if (pick.chance(0.5)) apps.splice(pick.int(0, apps.length), 0, SESSIONS_APP);
  const middleware = subset(pick, MIDDLEWARE, 1);
  if (pick.chance(0.5)) middleware.splice(pick.int(0, middleware.length), 0, SESSION_MW);
  const starChain = pick.chance(0.2);
  if (starChain) shape.push('star-import');

  const head: string[] = [];
  if (pick.chance(0.4)) head.push(`# -*- coding: utf-8 -*-`);
  if (pick.chance(0.5)) head.push(`"""Settings for the ${pick.one(['shop', 'blog', 'café', 'portal'])} project."""`);
  const imports: string[] = [];
  const importOs = pick.chance(0.5);
  if (importOs) imports.push('import os');
  imports.push('from pathlib import Path');
  const dotenv = pick.int(0, 5);
  if (dotenv === 1) imports.push('from dotenv import load_dotenv');
  if (dotenv === 2) imports.push('import dotenv');
  if (dotenv === 3) imports.push('from dotenv import load_dotenv, find_dotenv');
  shape.push(`dotenv:${dotenv}`);

  const body: string[] = [];
  body.push('BASE_DIR = Path(__file__).resolve().parent.parent');
  if (dotenv === 1) body.push(pick.one(['load_dotenv()', "load_dotenv(BASE_DIR / '.env')", 'load_dotenv(override=True)']));
  if (dotenv === 2) body.push('dotenv.load_dotenv()');
  if (dotenv === 3) body.push('load_dotenv(find_dotenv())');
  body.push(`SECRET_KEY = ${q(style, `django-insecure-${seed}`)}`);
  body.push(`DEBUG = ${pick.one(['True', 'False'])}`);
  if (pick.chance(0.3)) body.push(`SITE_NAME = f"{BASE_DIR.name} – ${seed} ✓"`);
  if (pick.chance(0.3)) body.push(`GREETING = ${q(style, pick.one(['héllo', 'Grüße', 'こんにちは', '😀 hi']))}  # non-ASCII ✓`);
  body.push(`ALLOWED_HOSTS = []`);

  const settingsBody: string[] = [];
  settingsBody.push(listSetting(pick, style, 'INSTALLED_APPS', apps, shape));
  if (pick.chance(0.3)) settingsBody.push(`# between the two lists${pick.chance(0.5) ? ' (ça va)' : ''}`);
  settingsBody.push(listSetting(pick, style, 'MIDDLEWARE', middleware, shape));
  if (pick.chance(0.3)) {
    shape.push('if-debug');
    settingsBody.push(`if DEBUG:${eol}${style.indent}INSTALLED_APPS = [*INSTALLED_APPS, 'debug_toolbar']${eol}${style.indent}MIDDLEWARE = [*MIDDLEWARE, 'debug_toolbar.middleware.DebugToolbarMiddleware']`);
  }
  settingsBody.push(`ROOT_URLCONF = ${q(style, 'proj.urls')}`);
  if (pick.chance(0.5)) {
    settingsBody.push(
      [
        'TEMPLATES = [',
        `${style.indent}{`,
        `${style.indent}${style.indent}${q(style, 'BACKEND')}: ${q(style, 'django.template.backends.django.DjangoTemplates')},`,
        `${style.indent}${style.indent}${q(style, 'DIRS')}: [],`,
        `${style.indent}${style.indent}${q(style, 'APP_DIRS')}: True,`,
        `${style.indent}},`,
        ']',
      ].join(eol),
    );
  }
  const workos = pick.int(0, 3);
  if (workos === 1) settingsBody.push(`WORKOS_CLIENT_ID = ${q(style, 'client_existing')}`);
  if (workos === 2) settingsBody.push(`WORKOS_API_KEY = os.environ.get(${q(style, 'WORKOS_API_KEY')}, '')${importOs ? '' : ''}`);
  if (workos === 2 && !importOs) imports.unshift('import os');
  shape.push(`workos:${workos}`);
  if (pick.chance(0.3)) settingsBody.push(`USE_TZ = True  # trailing comment é`);

  const ending = pick.chance(0.85) ? eol : '';
  const files: Record<string, string> = {};
  const join = (lines: string[]) => lines.join(eol);
  if (starChain) {
    files['proj/base.py'] = bom + join([...head, ...imports, '', ...body, '', ...settingsBody]) + ending;
    files['proj/settings.py'] = join(['from .base import *  # noqa', '', `DEBUG = True`]) + eol;
  } else {
    files['proj/settings.py'] = bom + join([...head, ...imports, '', ...body, '', ...settingsBody]) + ending;
  }
  files['proj/__init__.py'] = '';
  files['proj/urls.py'] = urls(pick, style, shape);
  files['manage.py'] = [
    '#!/usr/bin/env python',
    'import os',
    'import sys',
    '',
    "if __name__ == '__main__':",
    "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')",
    '    from django.core.management import execute_from_command_line',
    '    execute_from_command_line(sys.argv)',
    '',
  ].join('\n');
  return { seed, files, shape };
}

function urls(pick: Picker, style: Style, shape: string[]): string {
  const { eol, indent } = style;
  const imports = [pick.one(['from django.urls import path', 'from django.urls import include, path', 'from django.urls import path, re_path'])];
  imports.unshift('from django.contrib import admin');
  const routes = [`path(${q(style, 'admin/')}, admin.site.urls)`];
  if (pick.chance(0.4)) routes.push(`# more routes later${pick.chance(0.3) ? ' (à venir)' : ''}`);
  const form = pick.int(0, 3);
  shape.push(`urls:${form}`);
  let body: string;
  if (form === 0) {
    body = `urlpatterns = [${eol}${routes.map((r) => `${indent}${r}${r.startsWith('#') ? '' : ','}`).join(eol)}${eol}]`;
  } else if (form === 1) {
    body = `urlpatterns = [${routes.filter((r) => !r.startsWith('#')).join(', ')}]`;
  } else if (form === 2) {
    body = `urlpatterns = [${eol}${indent}${routes[0]}${eol}]${eol}urlpatterns += []`;
  } else {
    body = `urlpatterns = [${eol}${indent}${routes[0]},  # the admin${eol}]`;
  }
  return `${imports.join(eol)}${eol}${eol}${body}${eol}`;
}
