/**
 * Carries out a repair plan: file edits through plan/apply (journaled, so
 * `authkit-django undo` restores them, and the package manager's own files with them),
 * then the install with the project's package manager, then `manage.py migrate` in the
 * project's Python. A failing command is reported, never thrown: the edits stay.
 */
import { readFileSync } from 'node:fs';
import type { ProjectModel } from '../discover/model.js';
import { runtimeSettingsModule } from '../discover/settings-module.js';
import { installPackages } from '../install/install.js';
import { runTool } from '../install/runner.js';
import { shellCommand } from '../install/shell-quote.js';
import { applyChanges, preImage, type ApplyResult } from '../plan/apply.js';
import { sha256 } from '../plan/journal.js';
import type { Io } from '../util/output.js';
import type { RepairPlan } from './repairs.js';

export const MIGRATE_TIMEOUT_MS = 5 * 60 * 1000;

export interface CommandRun {
  command: string;
  ok: boolean;
  /** What went wrong (the tool's own words), when it did. */
  message: string | null;
}

export interface RepairRun {
  files: { path: string; action: 'created' | 'changed' }[];
  commands: CommandRun[];
}

function afterHash(file: string): string | null {
  try {
    return sha256(readFileSync(file));
  } catch {
    return null;
  }
}

export async function applyRepairs(plan: RepairPlan, model: ProjectModel, io: Io): Promise<RepairRun> {
  const run: RepairRun = { files: [], commands: [] };
  const toolFiles = plan.install ? plan.install.modifies.filter((f) => !plan.changes.some((c) => c.file === f)) : [];
  let applied: ApplyResult | null = null;
  if (plan.changes.length > 0 || toolFiles.length > 0) {
    applied = applyChanges(model, plan.changes, 'doctor', io.env);
    run.files = plan.changes.map((c) => ({ path: c.file, action: c.before === null ? 'created' : 'changed' }));
  }

  if (plan.install) {
    // The package manager rewrites pyproject.toml and its lockfile: journal them first.
    const records = toolFiles.map(preImage);
    if (applied) {
      applied.entry.files.push(...records);
      applied.journal.save();
    }
    const result = await installPackages(plan.install, model, { stderr: io.stderr, env: io.env });
    if (applied) {
      for (const record of records) record.afterSha256 = afterHash(record.path);
      applied.journal.save();
    }
    run.commands.push({ command: result.command, ok: result.ok, message: result.message });
  }

  if (plan.migrate) {
    const env: NodeJS.ProcessEnv = { ...io.env, PYTHONIOENCODING: 'utf-8' };
    const settingsModule = runtimeSettingsModule(model, env);
    if (settingsModule) env.DJANGO_SETTINGS_MODULE = settingsModule;
    const result = await runTool(plan.migrate, {
      cwd: model.projectRoot,
      env,
      progressStream: io.stderr,
      label: 'python manage.py migrate',
      timeoutMs: MIGRATE_TIMEOUT_MS,
    });
    const ok = result.exitCode === 0 && !result.timedOut && !result.spawnError;
    run.commands.push({
      command: shellCommand(plan.migrate),
      ok,
      message: ok ? null : result.spawnError ?? (result.timedOut ? 'timed out' : result.outputTail || `exit code ${result.exitCode}`),
    });
  }
  return run;
}
