import type { CommandArgs } from '../main.js';
import { UserError } from '../util/errors.js';
import type { Io } from '../util/output.js';

// Placeholder until the command lands; see the open issues.
export async function runVerify(_args: CommandArgs, _io: Io): Promise<number> {
  throw new UserError('verify is not built yet');
}
