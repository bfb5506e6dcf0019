/**
 * The PMML side of `check`. A document that loads has no problem; one that does not is lowered
 * again with problems collected, so that every independent problem of its fields and its model is
 * reported (lower/context.ts `attempt`). Loading first keeps the verdict exactly that of loading:
 * what fails after the lowering (the lowered document's own check) is reported as loading says it.
 */
import type { TrajanError } from '../errors.js';
import { asTrajanError } from '../pfa/error-boundary.js';
import type { ParseOptions } from '../pfa/parse.js';
import type { Problem, Problems } from '../problems.js';
import { lowerDocument, type LoweringOptions } from './lower/document.js';
import { loadPmml } from './model.js';
import { parseXml } from './xml.js';

export function collectPmmlSource(text: string, options: ParseOptions & LoweringOptions, problems: Problems): Problem[] {
  let loading: TrajanError;
  try {
    loadPmml(text, options);
    return [];
  } catch (e) {
    loading = asTrajanError(e, 'check');
  }
  problems.runAll(
    () => {
      const root = parseXml(text, options.documentLimits);
      lowerDocument(root, 'PMML', options, problems);
    },
    (e) => asTrajanError(e, 'check'),
  );
  if (problems.list.length === 0) problems.add(loading);
  return problems.list;
}
