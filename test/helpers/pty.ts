/**
 * Runs a command in a real pseudo-terminal (CPython's pty module) and answers its
 * prompts: each step waits for a pattern in the output, then types an answer. Returns
 * everything the terminal showed and the exit code. This is how a person at a terminal
 * meets the tool; piping stdin cannot show that (no TTY, so no prompt at all).
 */
import { spawnSync } from 'node:child_process';

const DRIVER = `
import fcntl, json, os, pty, re, select, struct, sys, termios, time
spec = json.load(sys.stdin)
pid, fd = pty.fork()
if pid == 0:
    if spec.get("columns"):
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, spec["columns"], 0, 0))
    os.chdir(spec["cwd"])
    os.execvpe(spec["argv"][0], spec["argv"], spec["env"])
out = b""
def read_until(pattern, timeout):
    global out
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pattern is not None and re.search(pattern.encode(), out):
            return True
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return pattern is None
            if not chunk:
                return pattern is None
            out += chunk
    return False
ok = True
for expect, answer in spec["steps"]:
    if not read_until(expect, spec["timeout"]):
        ok = False
        break
    for ch in answer:
        os.write(fd, ch.encode())
        time.sleep(0.01)
read_until(None, spec["timeout"])
_, status = os.waitpid(pid, 0)
json.dump({"ok": ok, "code": os.waitstatus_to_exitcode(status), "output": out.decode("utf-8", "replace")}, sys.stdout)
`;

export interface PtyResult {
  /** Every expected prompt appeared. */
  ok: boolean;
  code: number;
  output: string;
}

export function runInPty(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  steps: [expect: string, answer: string][],
  timeoutSeconds = 30,
  /** The terminal's width (default: whatever a new pty has, 0). */
  columns?: number,
): PtyResult {
  const run = spawnSync('python3', ['-c', DRIVER], {
    input: JSON.stringify({ argv, cwd, env, steps, timeout: timeoutSeconds, columns: columns ?? 0 }),
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`pty driver failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as PtyResult;
}
