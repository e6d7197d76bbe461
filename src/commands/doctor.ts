import type { CommandArgs } from '../main.js';
import { UserError } from '../util/errors.js';
import type { Io } from '../util/output.js';

// Placeholder until the command lands; see the open issues.
export async function runDoctor(_args: CommandArgs, _io: Io): Promise<number> {
  throw new UserError('doctor is not built yet');
}
