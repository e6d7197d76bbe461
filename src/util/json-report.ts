/**
 * The one JSON object a command prints on stdout with --json. Every report carries
 * `schemaVersion` and `command` first, and matches schemas/<command>.schema.json, which
 * ship in the package. SCHEMA_VERSION changes only when a field is removed, renamed or
 * changes meaning; a new field is added to the schema without changing it.
 */
import { writeLine, type Io } from './output.js';

export const SCHEMA_VERSION = 1;

let written = false;

export function writeJsonReport(io: Pick<Io, 'stdout'>, command: string, report: object, indent = 2): void {
  const { command: _ignored, ...rest } = report as { command?: unknown };
  void _ignored;
  writeLine(io.stdout, JSON.stringify({ schemaVersion: SCHEMA_VERSION, command, ...rest }, null, indent || undefined));
  written = true;
}

/** Whether this process printed its report already (an error after it prints no second one). */
export function jsonReportWritten(): boolean {
  return written;
}
