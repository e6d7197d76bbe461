/**
 * The project's Python: it runs and imports Django (`python`), and it imports workos and
 * python-dotenv (`packages`). When it does not, the other Pythons on the machine that
 * could be the intended one are asked too, so the report can say which one has them.
 */
import { checkImports } from '../install/check-imports.js';
import { installCommand } from '../install/command.js';
import type { DoctorContext } from './context.js';
import { describeInterpreter, otherInterpreters, type Candidate } from './interpreters.js';
import { reportedCheck } from './project-report.js';
import type { DoctorCheck } from './types.js';

const PROBE_TIMEOUT_MS = 20_000;

/** The other interpreters that import every module in `modules`. */
async function interpretersWith(ctx: DoctorContext, modules: string[]): Promise<Candidate[]> {
  const candidates = otherInterpreters(ctx.model, ctx.env);
  const reports = await Promise.all(
    candidates.map((c) => checkImports(c.python, ctx.model.projectRoot, { env: ctx.env, modules, timeoutMs: PROBE_TIMEOUT_MS })),
  );
  return candidates.filter((_, i) => reports[i]!.ok);
}

function listCandidates(found: Candidate[]): string {
  return found.map((c) => `${c.python.command.join(' ')} (${c.label})`).join(', ');
}

export const pythonCheck: DoctorCheck = {
  id: 'python',
  family: 'python',
  run: async (ctx) => {
    const report = await ctx.projectReport();
    const used = describeInterpreter(ctx.model.python);
    if (!report.ran) {
      const why = report.checks[0];
      return {
        status: 'fail',
        message: why?.message ?? `the project's Python ${used} gave no report`,
        ...(why?.detail ? { detail: why.detail } : {}),
        fix: why?.fix ?? 'create the virtualenv, or activate the one the project uses (VIRTUAL_ENV)',
      };
    }
    const django = report.checks.find((c) => c.id === 'import-django');
    if (django && django.status !== 'pass') {
      const others = await interpretersWith(ctx, ['django']);
      return {
        status: 'fail',
        message:
          `Django is not importable by ${used}` +
          (others.length > 0 ? `; it is by ${listCandidates(others)}: is the right virtualenv active?` : ''),
        ...(django.detail ? { detail: django.detail } : {}),
        fix: 'activate the project\'s virtualenv (or point VIRTUAL_ENV at it), or install the project\'s requirements into this one',
      };
    }
    return {
      status: 'pass',
      message: `the project runs with ${used}: Python ${report.pythonVersion ?? '?'}, Django ${report.django ?? '?'}`,
    };
  },
};

export const packagesCheck: DoctorCheck = {
  id: 'packages',
  family: 'python',
  after: ['python'],
  run: async (ctx) => {
    const [workos, dotenv] = await Promise.all([reportedCheck(ctx, 'import-workos'), reportedCheck(ctx, 'import-dotenv')]);
    if (workos.status === 'skip' && dotenv.status === 'skip') return { status: 'skip', message: workos.message };
    const used = describeInterpreter(ctx.model.python);
    const missing = [
      ...(workos.status === 'fail' ? ['workos'] : []),
      ...(dotenv.status === 'fail' ? ['python-dotenv'] : []),
    ];
    if (missing.length === 0) {
      return { status: 'pass', message: `${workos.message.replace(/ is importable by .*$/, '')} and ${dotenv.message.replace(/ is importable by .*$/, '')} are importable by ${used}` };
    }
    const others = await interpretersWith(ctx, ['workos', 'dotenv']);
    const elsewhere = others.length > 0 ? ` ${listCandidates(others)} ha${others.length === 1 ? 's' : 've'} both: is the right virtualenv active?` : '';
    const command = installCommand(ctx.model);
    return {
      status: 'fail',
      message: `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not importable by ${used}.${elsewhere}`,
      detail: [workos, dotenv].filter((c) => c.status === 'fail').map((c) => c.message).join('\n'),
      fix: `install them with ${command.manager}: ${command.retry}` + (others.length > 0 ? ' (or activate the virtualenv that has them)' : ''),
      repair: 'install',
    };
  },
};
