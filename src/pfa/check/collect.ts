/**
 * The PFA side of `check`: the document read and checked as `checkPfaSource` does, but with every
 * independent problem recorded (problems.ts) rather than the first thrown. Each problem gets the
 * line and column of its pointer when the document came as text; the text is walked once for all.
 */
import type { Location } from '../../errors.js';
import type { Problem, Problems } from '../../problems.js';
import type { PfaDocument } from '../ast.js';
import { asTrajanError } from '../error-boundary.js';
import { documentText, type DocumentSource } from '../load.js';
import { parsePfaDocument, type ParseOptions } from '../parse.js';
import { locator, measureDocument, parseOwnSource } from '../source.js';
import { collectPfaProblems } from './checker.js';

/** Records the problems of a PFA document (text, bytes or a parsed value) in `problems`; returns them located. */
export function collectPfaSource(source: DocumentSource | object, options: ParseOptions, problems: Problems): Problem[] {
  let text: string | undefined;
  problems.runAll(
    () => {
      text = typeof source === 'string' || source instanceof Uint8Array ? documentText(source) : undefined;
      const doubles = new Set<string>();
      let doc: PfaDocument;
      if (text !== undefined) doc = parsePfaDocument(parseOwnSource(text, options.documentLimits, doubles), options, doubles, problems);
      else {
        measureDocument(source, options.documentLimits);
        doc = parsePfaDocument(source, options, undefined, problems);
      }
      collectPfaProblems(doc, problems);
    },
    (e) => asTrajanError(e, 'parse'),
  );
  return text === undefined ? problems.list : withPositions(text, problems.list);
}

function withPositions(text: string, list: readonly Problem[]): Problem[] {
  if (!list.some((p) => p.location.pointer !== undefined && p.location.line === undefined)) return [...list];
  let at: ((pointer: string) => Location) | undefined;
  try {
    at = locator(text);
  } catch {
    // A text that cannot be walked again gives no lines; the pointers still say where.
    return [...list];
  }
  return list.map((p) =>
    p.location.pointer === undefined || p.location.line !== undefined ? p : { ...p, location: at(p.location.pointer) },
  );
}
