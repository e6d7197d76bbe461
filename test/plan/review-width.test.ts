/**
 * The plan's step lines fit the terminal: long summaries, notes and reasons are broken at
 * spaces and continue under their own first column; with no width (not a terminal) nothing
 * is broken, so logs and pipes keep one line per step.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderSummary } from '../../src/plan/review.js';
import type { StepOutcome } from '../../src/plan/types.js';
import { palette } from '../../src/util/output.js';

const outcomes: StepOutcome[] = [
  { id: 'settings.load-dotenv', status: 'change', file: '/r/mini/settings.py', summary: 'load .env in mini/settings.py (load_dotenv(Path(__file__).resolve().parents[1] / ".env"))' },
  { id: 'home.template', status: 'manual', file: '/r/mini/settings.py', line: 12, summary: 'make templates/home.html findable', reason: 'no TEMPLATES setting was found in the settings module the project runs with, so the template folder is unknown', note: 'add the folder to TEMPLATES DIRS yourself, then run init again to finish' },
];
const display = (file: string) => file.replace('/r/', '');

describe('the plan at a terminal', () => {
  it('keeps every line within the width, continuing under the text column, losing no word', () => {
    const text = renderSummary(outcomes, [], display, palette(false), 60);
    const stepLines = text.split('\n').slice(0, -2);
    for (const line of stepLines) assert.ok(line.length <= 60, `${line.length}: ${line}`);
    assert.ok(stepLines.length > outcomes.length + 2, 'nothing was broken');
    for (const line of stepLines.slice(1)) assert.match(line, /^ {2}\S|^ {10}\S/);
    const words = (s: string) => s.split(/\s+/).filter(Boolean);
    assert.deepEqual(words(stepLines.join(' ')).filter((w) => !['change', 'manual', 'why:'].includes(w)), words([outcomes[0]!.summary, outcomes[1]!.summary, 'mini/settings.py:12', outcomes[1]!.note, outcomes[1]!.reason].join(' ')));
  });

  it('with no width, one line per summary', () => {
    const text = renderSummary(outcomes, [], display, palette(false));
    assert.equal(text.split('\n').filter((l) => l.startsWith('  change') || l.startsWith('  manual')).length, 2);
    assert.ok(text.split('\n').some((l) => l.length > 80));
  });
});
