// Preloaded (node --import) into a command under measurement: prints its peak resident
// memory at exit, on stderr, for the benchmarks to read.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\nPEAK_RSS_KB ${process.resourceUsage().maxRSS}\n`);
});
