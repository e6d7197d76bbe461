/**
 * What every doctor check reads: the discovered project, the environment, and the things
 * that are expensive or shared, computed once and only when a check asks for them (the
 * run of the project's own Python above all).
 */
import { relative } from 'node:path';
import type { ProjectModel } from '../discover/model.js';
import { parseDotenv, type DotenvEntry } from '../integrate/dotenv-file.js';
import { readUtf8IfExists } from '../util/files.js';
import type { ProjectChecksReport } from '../verify/types.js';
import { runDoctorProjectChecks } from './project-report.js';

export interface DoctorOptions {
  /** The environment the project's Python and the tools run with (the user's own). */
  env: NodeJS.ProcessEnv;
  /** `--offline`: no call to WorkOS. */
  offline: boolean;
}

export class DoctorContext {
  private report: Promise<ProjectChecksReport> | null = null;
  private dotenvEntries: Map<string, DotenvEntry> | null | undefined;

  constructor(
    readonly model: ProjectModel,
    readonly options: DoctorOptions,
  ) {}

  get env(): NodeJS.ProcessEnv {
    return this.options.env;
  }

  /** The checks run by the project's own interpreter (python/authkit_django_checks in doctor mode), once. */
  projectReport(): Promise<ProjectChecksReport> {
    this.report ??= runDoctorProjectChecks(this.model, this.env);
    return this.report;
  }

  /** The .env file's entries (values included: never print them), or null when there is none. */
  dotenv(): Map<string, DotenvEntry> | null {
    if (this.dotenvEntries === undefined) {
      const text = this.model.env.exists ? readUtf8IfExists(this.model.env.file) : null;
      this.dotenvEntries = text === null ? null : parseDotenv(text);
    }
    return this.dotenvEntries;
  }

  /**
   * A setting the project's Python gets from its environment: the process environment
   * wins, as python-dotenv does not override it; else the .env file.
   */
  environmentValue(name: string): { value: string; from: 'environment' | '.env' } | null {
    const fromEnv = this.env[name];
    if (fromEnv) return { value: fromEnv, from: 'environment' };
    const entry = this.dotenv()?.get(name);
    return entry && entry.value !== '' ? { value: entry.value, from: '.env' } : null;
  }

  /** A path as the report shows it: relative to the folder the user named. */
  display(file: string): string {
    const rel = relative(this.model.dir, file).split('\\').join('/');
    return rel === '' ? '.' : rel.startsWith('..') ? file : rel;
  }
}
