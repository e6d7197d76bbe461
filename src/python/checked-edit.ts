import { EXIT, UserError } from '../util/errors.js';
import { firstSyntaxError, lineOf, parseEdited, parsePython } from './parser.js';

/**
 * An edit the engine will not make: the file is left as it was. The user's file causes
 * it (a syntax error there, a construct we cannot edit), so it is a UserError: exit 1.
 */
export class EditRefused extends UserError {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message, EXIT.error);
    this.name = 'EditRefused';
  }
}

/**
 * Refuses to edit a file that does not parse (splicing into broken code can only guess),
 * and an edit that would break one that does. Every edit goes through here before
 * anything is written. `file` is the name shown to the user.
 */
export function checkEdit(before: string, after: string, file: string): string {
  const broken = firstSyntaxError(parsePython(before, file));
  if (broken) {
    throw new EditRefused(`${file} has a syntax error at line ${lineOf(broken)}; fix it and run the command again (nothing was written)`, file, lineOf(broken));
  }
  // Re-parsed around the edit only: the rest of the tree is the one `before` had.
  const node = firstSyntaxError(parseEdited(before, after, file));
  if (node) {
    throw new EditRefused(`editing ${file} would produce invalid Python at line ${lineOf(node)}; nothing was written`, file, lineOf(node));
  }
  return after;
}
