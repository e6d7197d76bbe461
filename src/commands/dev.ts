import type { CommandArgs } from '../main.js';
import { UserError } from '../util/errors.js';
import type { Io } from '../util/output.js';

// Placeholder until the command lands; see the open issues.
export async function runDev(_args: CommandArgs, _io: Io): Promise<number> {
  throw new UserError('dev is not built yet');
}
