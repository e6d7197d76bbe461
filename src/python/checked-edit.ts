import { countSyntaxErrors, firstSyntaxError, lineOf, parsePython } from './parser.js';

/** An edit the engine will not make: the file is left as it was. */
export class EditRefused extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'EditRefused';
  }
}

/**
 * Re-parses edited source and refuses the edit when it brings a syntax error the
 * original did not have. Every edit goes through here before anything is written.
 */
export function checkEdit(before: string, after: string, file: string): string {
  const beforeErrors = countSyntaxErrors(parsePython(before));
  const tree = parsePython(after);
  if (countSyntaxErrors(tree) > beforeErrors) {
    const node = firstSyntaxError(tree);
    throw new EditRefused(
      `editing ${file} would produce invalid Python${node ? ` at line ${lineOf(node)}` : ''}; nothing was written`,
      file,
      node ? lineOf(node) : undefined,
    );
  }
  return after;
}
