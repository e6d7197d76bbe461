/**
 * manage.py files that pick other settings for the test runner:
 * `if len(sys.argv) > 1 and sys.argv[1] == "test": setdefault(..., "proj.settings.test")`.
 * A setdefault that runs only for `manage.py test` (or pytest) names the test settings,
 * not the ones the project runs with; these helpers tell such a branch from the others.
 */
import type { Node, Tree } from '../python/parser.js';
import { stringLiteralValue } from '../python/locate.js';

const TEST_COMMANDS = new Set(['test', 'pytest']);

/** The right-hand sides assigned to `name` anywhere in the file (`TESTING = "test" in sys.argv`). */
function valuesOf(tree: Tree, name: string): Node[] {
  const out: Node[] = [];
  for (const assignment of tree.rootNode.descendantsOfType('assignment')) {
    if (assignment?.childForFieldName('left')?.text !== name) continue;
    const right = assignment.childForFieldName('right');
    if (right) out.push(right);
  }
  return out;
}

function looksAtTestCommand(node: Node): boolean {
  const mentionsArgv = node.descendantsOfType('identifier').some((id) => id?.text === 'argv');
  const namesTest = [node, ...node.descendantsOfType('string')].some((s) => !!s && s.type === 'string' && TEST_COMMANDS.has(stringLiteralValue(s) ?? ''));
  return mentionsArgv && namesTest;
}

/**
 * What a condition says about the command: 'test' when it holds for `manage.py test`
 * (`"test" in sys.argv`, `sys.argv[1:2] == ["test"]`), 'not-test' when it holds for every
 * other command (`"test" not in sys.argv`, `sys.argv[1] != "test"`), null when it does not
 * look at the command. A name is followed to what it is assigned (`if TESTING:`).
 */
export function testCommandCondition(condition: Node, tree: Tree, depth = 0): 'test' | 'not-test' | null {
  if (depth > 3) return null;
  const inner = condition.type === 'not_operator' ? condition.childForFieldName('argument') : condition.type === 'parenthesized_expression' ? condition.namedChildren[0] : null;
  if (inner) {
    const says = testCommandCondition(inner, tree, depth + 1);
    if (condition.type === 'parenthesized_expression') return says;
    return says === 'test' ? 'not-test' : says === 'not-test' ? 'test' : null;
  }
  if (condition.type === 'identifier') {
    for (const value of valuesOf(tree, condition.text)) {
      const says = testCommandCondition(value, tree, depth + 1);
      if (says) return says;
    }
    return null;
  }
  if (!looksAtTestCommand(condition)) return null;
  return /(^|[^\w])not\b|!=/.test(condition.text.replace(/\s+/g, ' ')) ? 'not-test' : 'test';
}

/** The conditions of an if statement's chain before `branch` (the if's own and each earlier elif's). */
function earlierConditions(ifStatement: Node, branch: Node): Node[] {
  const out: Node[] = [];
  const own = ifStatement.childForFieldName('condition');
  if (own) out.push(own);
  for (const clause of ifStatement.childrenForFieldName('alternative')) {
    if (!clause || clause.id === branch.id) break;
    const c = clause.childForFieldName('condition');
    if (c) out.push(c);
  }
  return out;
}

/** True when `node` runs only for the test command: in a branch that a test of the command leads to. */
export function onlyForTestCommand(node: Node, tree: Tree): boolean {
  let child = node;
  for (let current = node.parent; current; child = current, current = current.parent) {
    if (current.type === 'if_statement' && child.id === current.childForFieldName('consequence')?.id) {
      const cond = current.childForFieldName('condition');
      if (cond && testCommandCondition(cond, tree) === 'test') return true;
    } else if ((current.type === 'elif_clause' || current.type === 'else_clause') && current.parent?.type === 'if_statement') {
      const own = current.type === 'elif_clause' ? current.childForFieldName('condition') : null;
      if (own && testCommandCondition(own, tree) === 'test') return true;
      // Reached only when the earlier conditions failed: after `if "test" not in sys.argv:`, that means the test command.
      if (earlierConditions(current.parent, current).some((c) => testCommandCondition(c, tree) === 'not-test')) return true;
    }
  }
  return false;
}

/** `A if "test" in sys.argv else B`: the branch for every other command (B), or null when the condition does not look at the command. */
export function branchForOtherCommands(conditional: Node, tree: Tree): Node | null {
  const [whenTrue, condition, whenFalse] = conditional.namedChildren;
  if (!whenTrue || !condition || !whenFalse) return null;
  const says = testCommandCondition(condition, tree);
  return says === 'test' ? whenFalse : says === 'not-test' ? whenTrue : null;
}
