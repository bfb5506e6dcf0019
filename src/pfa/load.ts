/**
 * The PFA pipeline in one call: source text or JSON value -> parse -> check -> compile -> engine.
 */
import { TrajanError } from '../errors.js';
import type { PfaDocument } from './ast.js';
import { checkPfa, type Checked } from './check/checker.js';
import { PfaEngine, type EngineOptions } from './engine.js';
import { parsePfaDocument, type ParseOptions } from './parse.js';
import { locate, parseSource } from './source.js';

export interface LoadOptions extends EngineOptions, ParseOptions {}

/** Adds line and column to an error's location when the document came from text. */
function withPosition<R>(text: string | undefined, run: () => R): R {
  try {
    return run();
  } catch (e) {
    if (text !== undefined && e instanceof TrajanError && e.location?.pointer !== undefined && e.location.line === undefined) {
      e.location = locate(text, e.location.pointer);
    }
    throw e;
  }
}

/** Parses and checks a PFA document without building an engine (what `validate-model` does). */
export function checkPfaSource(source: string | object, options: ParseOptions = {}): Checked {
  const text = typeof source === 'string' ? source : undefined;
  return withPosition(text, () => {
    const json = text !== undefined ? parseSource(text) : source;
    const doc: PfaDocument = parsePfaDocument(json, options);
    return checkPfa(doc);
  });
}

/**
 * Loads a PFA document (a parsed JSON object, or JSON/YAML text) into a ready engine. Throws a
 * PfaSyntaxError, PfaSemanticError or PfaInitializationError, each with a code and a location.
 */
export function loadPfa(source: string | object, options: LoadOptions = {}): PfaEngine {
  const checked = checkPfaSource(source, options);
  return withPosition(typeof source === 'string' ? source : undefined, () => new PfaEngine(checked, options));
}
