/**
 * The environment the package managers run in: the user's own (indexes, credentials, caches
 * and VIRTUAL_ENV all matter), plus the switches that make every one of them non-interactive,
 * so no prompt can wait on a closed stdin, and plain, so their errors can be shown as text.
 */
export function toolEnvironment(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    PIP_NO_INPUT: '1',
    PIP_PROGRESS_BAR: 'off',
    POETRY_NO_INTERACTION: '1',
    PIPENV_YES: '1',
    PIPENV_NOSPIN: '1',
    UV_NO_PROGRESS: '1',
    // A git dependency asking for a password would wait forever.
    GIT_TERMINAL_PROMPT: '0',
    NO_COLOR: '1',
    PYTHONIOENCODING: 'utf-8',
  };
  if (env.GIT_SSH_COMMAND === undefined && env.GIT_SSH === undefined) env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
  delete env.FORCE_COLOR;
  delete env.CLICOLOR_FORCE;
  return env;
}
