/**
 * Shrinking a failing variant to a small regression fixture: lines are removed from its
 * files, in halving chunks down to single lines (delta debugging), while the variant still
 * fails the same way (`stillFails` decides); then each file itself, where it is not needed. The
 * result is written as a folder under test/plan/property/regressions/, which the property
 * test runs on every run (see regressions.ts).
 */
import type { Variant } from './generator.js';

/** Splits keeping each line's own ending, so CRLF, a BOM and a missing final newline survive. */
function lines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export async function shrinkVariant(variant: Variant, stillFails: (candidate: Variant) => Promise<boolean>): Promise<Variant> {
  let current: Variant = { ...variant, files: { ...variant.files } };
  for (const file of Object.keys(current.files).sort()) {
    if (!(file in current.files)) continue;
    let parts = lines(current.files[file]!);
    for (let size = Math.max(1, Math.floor(parts.length / 2)); size >= 1; size = size === 1 ? 0 : Math.max(1, Math.floor(size / 2))) {
      for (let start = 0; start < parts.length; ) {
        const kept = [...parts.slice(0, start), ...parts.slice(start + size)];
        const candidate = { ...current, files: { ...current.files, [file]: kept.join('') } };
        if (await stillFails(candidate)) {
          current = candidate;
          parts = kept;
        } else {
          start += size;
        }
      }
    }
    // Last, the file itself (an empty __init__.py may still be needed, so this is tried on its own).
    const { [file]: _gone, ...others } = current.files;
    const without = { ...current, files: others };
    if (await stillFails(without)) current = without;
  }
  return current;
}
