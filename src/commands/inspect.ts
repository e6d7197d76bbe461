/**
 * `authkit-django inspect [DIR] [--json]`: what discovery finds, as a short summary for
 * people or one JSON object for programs. Reads only; writes nothing, ever.
 */
import { isAbsolute } from 'node:path';
import { discover } from '../discover/index.js';
import type { ProjectModel } from '../discover/model.js';
import { jsonReport, relativePath } from '../discover/report.js';
import type { CommandArgs } from '../main.js';
import { EXIT, UserError } from '../util/errors.js';
import { palette, writeLine, type Io, type Palette } from '../util/output.js';
import { writeJsonReport } from '../util/json-report.js';

export async function runInspect(args: CommandArgs, io: Io): Promise<number> {
  const json = args.values.json === true;
  let model: ProjectModel;
  try {
    model = await discover(args.dir, {
      project: stringOption(args.values.project),
      settings: stringOption(args.values.settings),
      env: io.env,
    });
  } catch (error) {
    // Programs reading stdout get the reason too; the message also goes to stderr as usual.
    if (json && error instanceof UserError) {
      writeJsonReport(io, 'inspect', { error: { message: error.message, hint: error.hint ?? null }, exitCode: error.exitCode });
    }
    throw error;
  }
  if (json) writeJsonReport(io, 'inspect', jsonReport(model));
  else writeLine(io.stdout, summary(model, palette(io.color)));
  return EXIT.ok;
}

function stringOption(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The human summary: one line per fact, then the problems with file:line. */
export function summary(model: ProjectModel, paint: Palette): string {
  // Relative to DIR like the JSON, except far-away paths (an active virtualenv elsewhere).
  const rel = (path: string): string => {
    const relative = relativePath(model.dir, path);
    return relative.startsWith('../../') ? path : relative;
  };
  const yes = (value: boolean): string => (value ? paint.green('yes') : paint.yellow('no'));
  const rows: [string, string][] = [];
  const django = model.django ? `Django ${model.django.version}, ${model.django.source}` : 'Django version unknown';
  rows.push(['Django project', `${rel(model.managePy)}  ${paint.dim(`(${django})`)}`]);
  if (model.candidates.length > 0) {
    rows.push(['  also found', `${model.candidates.map(rel).join(', ')}  ${paint.dim('(choose with --project)')}`]);
  }
  rows.push([
    'Settings',
    model.settingsModule
      ? `${model.settingsModule}  ${paint.dim(`(from ${sourceLabel(model.settingsModuleSource, rel)})`)}`
      : paint.yellow('not found'),
  ]);
  if (model.settingsFile) rows.push(['  edits go to', rel(model.settingsFile)]);
  if (model.settingsFiles.length > 1) rows.push(['  chain', model.settingsFiles.map(rel).join(' -> ')]);
  rows.push([
    'URLs',
    model.rootUrlconf
      ? `${model.rootUrlconf}${model.urlsFile ? ` -> ${rel(model.urlsFile)}` : paint.yellow(' (file not found)')}`
      : paint.yellow('unknown'),
  ]);
  rows.push([
    'Apps',
    `${model.installedApps.length} installed; sessions app: ${yes(model.sessions.app)}; SessionMiddleware: ${yes(model.sessions.middleware)}`,
  ]);
  const t = model.templates;
  rows.push([
    'Templates',
    t.backend === null && t.file === null
      ? paint.yellow('no TEMPLATES setting')
      : `${t.backend?.split('.').pop() ?? 'unknown backend'}, APP_DIRS ${t.appDirs === null ? '?' : t.appDirs ? 'True' : 'False'}, DIRS ${t.dirs.length > 0 ? t.dirs.join(', ') : 'none'}`,
  ]);
  const pm = model.packageManager;
  rows.push(['Packages', `${pm.name}  ${paint.dim(`(${pm.reason})`)}`]);
  const py = model.python;
  const command = py.command.map((part, i) => (i === 0 && py.venv ? rel(part) : part)).join(' ');
  rows.push(['Python', `${command}  ${paint.dim(`(${pythonSource(py.source)})`)}${py.exists ? '' : paint.yellow('  not found')}`]);
  const env = model.env;
  rows.push([
    '.env',
    env.exists
      ? `${rel(env.file)}: WORKOS_API_KEY ${env.hasApiKey ? 'set' : paint.yellow('missing')}, WORKOS_CLIENT_ID ${env.hasClientId ? 'set' : paint.yellow('missing')}`
      : `none yet ${paint.dim(`(would be ${rel(env.file)})`)}`,
  ]);
  rows.push([
    'Existing auth',
    model.existingAuth.length === 0 ? 'none' : model.existingAuth.map((a) => `${a.kind} ${paint.dim(`(${a.evidence})`)}`).join('; '),
  ]);
  rows.push(['Repository', model.isGitRepo ? `git, root ${rel(model.repoRoot)}` : 'not a git repository']);

  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, text]) => `${paint.bold(label.padEnd(width))}  ${text}`);
  if (model.problems.length > 0) {
    lines.push('', paint.yellow(`Problems (${model.problems.length}):`));
    for (const p of model.problems) {
      const where = p.file ? `${rel(p.file)}${p.line ? `:${p.line}` : ''}  ` : '';
      lines.push(`  ${where}${p.message} ${paint.dim(`[${p.code}]`)}`);
    }
  }
  return lines.join('\n');
}

function sourceLabel(source: string | null, rel: (path: string) => string): string {
  if (source === 'search') return 'a search: nothing names it';
  return source && isAbsolute(source) ? rel(source) : String(source);
}

function pythonSource(source: ProjectModel['python']['source']): string {
  switch (source) {
    case 'VIRTUAL_ENV':
      return 'the active virtualenv';
    case 'venv':
      return 'virtualenv in the project';
    case 'package-manager':
      return 'through the package manager';
    default:
      return 'system Python';
  }
}
