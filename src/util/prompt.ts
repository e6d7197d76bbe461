/**
 * Interactive questions on a terminal. Callers check `canPrompt` first: without a TTY
 * (CI, agents, pipes) nothing here may be called, so nothing can hang.
 */
import type { Io } from './output.js';

export function canPrompt(io: Io): boolean {
  return !!io.stdin.isTTY && !!io.stderr.isTTY;
}

/** Reads one line (echoed, or masked with `*` when `secret`). Resolves null on Ctrl+C / Ctrl+D. */
function readLine(io: Io, question: string, secret: boolean): Promise<string | null> {
  return new Promise((resolve) => {
    const stdin = io.stdin;
    let answer = '';
    const raw = typeof stdin.setRawMode === 'function';
    // Raw before the question shows: a Ctrl+C typed the moment it appears is then read
    // here as an answer, not turned into a signal by the terminal.
    if (raw) stdin.setRawMode!(true);
    io.stderr.write(question);
    stdin.resume();
    const finish = (value: string | null) => {
      stdin.removeListener('data', onData);
      if (raw) stdin.setRawMode!(false);
      stdin.pause();
      io.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\u0003' || ch === '\u0004') return finish(null);
        if (ch === '\r' || ch === '\n') return finish(answer);
        if (ch === '\u007f' || ch === '\b') {
          if (answer.length > 0) {
            answer = answer.slice(0, -1);
            io.stderr.write('\b \b');
          }
          continue;
        }
        if (ch < ' ') continue;
        answer += ch;
        io.stderr.write(secret ? '*' : ch);
      }
    };
    stdin.on('data', onData);
  });
}

export async function confirm(io: Io, question: string, defaultYes: boolean): Promise<boolean> {
  return (await confirmOrCancel(io, question, defaultYes)) === 'yes';
}

/** A yes/no question that tells a "no" apart from Ctrl+C / Ctrl+D ("cancelled"). */
export async function confirmOrCancel(io: Io, question: string, defaultYes: boolean): Promise<'yes' | 'no' | 'cancelled'> {
  const answer = await readLine(io, `${question} ${defaultYes ? '[Y/n]' : '[y/N]'} `, false);
  if (answer === null) return 'cancelled';
  const a = answer.trim().toLowerCase();
  if (a === '') return defaultYes ? 'yes' : 'no';
  return a === 'y' || a === 'yes' ? 'yes' : 'no';
}

export async function askSecret(io: Io, question: string): Promise<string | null> {
  const answer = await readLine(io, question, true);
  return answer === null ? null : answer.trim();
}

export async function ask(io: Io, question: string): Promise<string | null> {
  const answer = await readLine(io, question, false);
  return answer === null ? null : answer.trim();
}
