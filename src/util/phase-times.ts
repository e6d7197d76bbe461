/**
 * CPU time by phase of one run, for the benchmarks (bench/large-files.mjs). With
 * AUTHKIT_DJANGO_PHASES=1 in the environment, stderr gets at exit one line per phase,
 * `PHASE_CPU_MS name ms`, and one per nested part, `PART_CPU_MS name ms` (a part, such
 * as the parse, is also counted in the phase it ran in). Otherwise every call is a no-op.
 * CPU time (user + system, every thread), not wall time: the benchmarks share machines.
 */
import { writeSync } from 'node:fs';

const enabled = process.env.AUTHKIT_DJANGO_PHASES === '1';
const phases = new Map<string, number>();
const parts = new Map<string, number>();
let last = 0;

const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** Charges the CPU time since the previous mark (or since the process started) to `name`. */
export function markPhase(name: string): void {
  if (!enabled) return;
  const now = cpuMs();
  phases.set(name, (phases.get(name) ?? 0) + now - last);
  last = now;
}

/** Runs `work`, adding its CPU time to the part `name`. */
export function timePart<T>(name: string, work: () => T): T {
  if (!enabled) return work();
  const start = cpuMs();
  try {
    return work();
  } finally {
    parts.set(name, (parts.get(name) ?? 0) + cpuMs() - start);
  }
}

if (enabled) {
  process.on('exit', () => {
    markPhase('exit');
    const lines = [
      ...[...phases].map(([name, ms]) => `PHASE_CPU_MS ${name} ${ms.toFixed(1)}`),
      ...[...parts].map(([name, ms]) => `PART_CPU_MS ${name} ${ms.toFixed(1)}`),
    ];
    writeSync(2, `\n${lines.join('\n')}\n`);
  });
}
