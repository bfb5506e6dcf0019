/**
 * The PFA pipeline in one call: source text or JSON value -> parse -> check -> compile -> engine.
 *
 * One error boundary for all of it: whatever is thrown comes out as a TrajanError with a code (see
 * error-boundary.ts), with line and column added when the document came from text.
 */
import type { TrajanError } from '../errors.js';
import type { PfaDocument } from './ast.js';
import { checkPfa, type Checked } from './check/checker.js';
import { PfaEngine, type EngineOptions } from './engine.js';
import { asTrajanError, type Stage } from './error-boundary.js';
import { parsePfaDocument, type ParseOptions } from './parse.js';
import { locate, measureDocument, parseSource } from './source.js';

export interface LoadOptions extends EngineOptions, ParseOptions {}

/** Adds line and column to an error's location when the document came from text. */
function withPosition(text: string | undefined, e: TrajanError): TrajanError {
  if (text === undefined || e.location?.pointer === undefined || e.location.line !== undefined) return e;
  try {
    e.location = locate(text, e.location.pointer);
  } catch {
    // The pointer alone still says where; a text that cannot be walked again gives no line.
  }
  return e;
}

function run<R>(text: string | undefined, stage: Stage, step: () => R): R {
  try {
    return step();
  } catch (e) {
    throw withPosition(text, asTrajanError(e, stage));
  }
}

/**
 * Parses and checks a PFA document without building an engine (what `validate-model` does). It
 * runs every check loading runs (the document's options and the library functions' own checks of
 * their argument types included), so it accepts exactly the documents `loadPfa` accepts.
 */
export function checkPfaSource(source: string | object, options: ParseOptions = {}): Checked {
  const text = typeof source === 'string' ? source : undefined;
  const doubles = new Set<string>();
  const doc: PfaDocument = run(text, 'parse', () => {
    if (text !== undefined) return parsePfaDocument(parseSource(text, options.documentLimits, doubles), options, doubles);
    measureDocument(source, options.documentLimits);
    return parsePfaDocument(source, options);
  });
  return run(text, 'check', () => checkPfa(doc));
}

/**
 * Loads a PFA document (a parsed JSON object, or JSON/YAML text) into a ready engine. Throws a
 * PfaSyntaxError, PfaSemanticError or PfaInitializationError, each with a code and a location.
 */
export function loadPfa(source: string | object, options: LoadOptions = {}): PfaEngine {
  const checked = checkPfaSource(source, options);
  return run(typeof source === 'string' ? source : undefined, 'compile', () => new PfaEngine(checked, options));
}
