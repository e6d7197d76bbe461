// Preloaded (node --import) into a command under measurement: prints its peak resident
// memory and the CPU time it used (user + system) at exit, on stderr, for the benchmarks
// to read. CPU time tells the command's own cost when other jobs share the machine.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeSync(2, `\nPEAK_RSS_KB ${usage.maxRSS}\nCPU_MS ${((usage.userCPUTime + usage.systemCPUTime) / 1000).toFixed(0)}\n`);
});
