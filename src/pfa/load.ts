/**
 * The PFA pipeline in one call: source text or JSON value -> parse -> check -> compile -> engine.
 *
 * One error boundary for all of it: whatever is thrown comes out as a TrajanError with a code (see
 * error-boundary.ts), with line and column added when the document came from text.
 */
import { PfaSyntaxError, type Location, type TrajanError } from '../errors.js';
import type { PfaDocument } from './ast.js';
import { checkPfa, type Checked } from './check/checker.js';
import { checkOptionNames, onlyOptions } from './check/options.js';
import { ENGINE_OPTION_NAMES, PfaEngine, type EngineOptions } from './engine.js';
import { asTrajanError, type Stage } from './error-boundary.js';
import { parsePfaDocument, type ParseOptions } from './parse.js';
import { locate, measureDocument, parseOwnSource } from './source.js';

export interface LoadOptions extends EngineOptions, ParseOptions {}

/** Every name of ParseOptions, once (the type is the parser's; its names are checked here, where loading starts). */
export const PARSE_OPTION_NAMES = { limits: true, documentLimits: true } as const satisfies Record<keyof ParseOptions, true>;

/** Every name of LoadOptions, once. */
export const LOAD_OPTION_NAMES = { ...ENGINE_OPTION_NAMES, ...PARSE_OPTION_NAMES } as const satisfies Record<keyof LoadOptions, true>;

/** A document as text, or as the bytes of a file (UTF-8). */
export type DocumentSource = string | Uint8Array;

const BOM = 0xfeff;

/**
 * The text of a document given as text or as UTF-8 bytes, without a leading byte-order mark (editors
 * write one; neither the JSON nor the XML parser accepts it). Bytes that are not UTF-8 are an
 * `invalid-utf8` error where they start: decoded leniently they would turn into U+FFFD and fail
 * later, or not at all, somewhere less clear.
 */
export function documentText(source: DocumentSource): string {
  const text = typeof source === 'string' ? source : decodeUtf8(source);
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

/** A strict decoder that keeps the byte-order mark, so that text and bytes drop it in one place. */
const strictUtf8 = () => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strictUtf8().decode(bytes);
  } catch {
    throw new PfaSyntaxError('invalid-utf8', 'the document is not UTF-8 text', badUtf8Location(bytes));
  }
}

/**
 * Line and column of the first character that is not UTF-8. Prefixes decode (as a stream, so a
 * character cut at the end is not yet wrong) up to some length and fail beyond it: a binary search
 * finds the longest, whose decoded text ends where the bad bytes start. Only failures pay for it.
 */
function badUtf8Location(bytes: Uint8Array): Location {
  const prefix = (n: number): string | undefined => {
    try {
      return strictUtf8().decode(bytes.subarray(0, n), { stream: true });
    } catch {
      return undefined;
    }
  };
  let [good, bad] = [0, bytes.length + 1];
  while (bad - good > 1) {
    const mid = (good + bad) >>> 1;
    if (prefix(mid) === undefined) bad = mid;
    else good = mid;
  }
  const text = prefix(good)!;
  const lineStart = text.lastIndexOf('\n') + 1;
  const bom = lineStart === 0 && text.charCodeAt(0) === BOM ? 1 : 0;
  return { line: text.split('\n').length, column: text.length - lineStart - bom + 1 };
}

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
export function checkPfaSource(source: DocumentSource | object, options: ParseOptions = {}): Checked {
  checkOptionNames(options, PARSE_OPTION_NAMES, 'checkPfaSource');
  return checkSource(textOf(source), source, options);
}

/** The document's text when it was given as text or bytes; undefined for a parsed value. */
function textOf(source: DocumentSource | object): string | undefined {
  return typeof source === 'string' || source instanceof Uint8Array ? documentText(source) : undefined;
}

function checkSource(text: string | undefined, source: object | string, options: ParseOptions): Checked {
  const doubles = new Set<string>();
  const doc: PfaDocument = run(text, 'parse', () => {
    if (text !== undefined) return parsePfaDocument(parseOwnSource(text, options.documentLimits, doubles), options, doubles);
    measureDocument(source, options.documentLimits);
    return parsePfaDocument(source, options);
  });
  return run(text, 'check', () => checkPfa(doc));
}

/**
 * Loads a PFA document (a parsed JSON object, or JSON/YAML text or its UTF-8 bytes) into a ready
 * engine. Throws a PfaSyntaxError, PfaSemanticError or PfaInitializationError, each with a code and
 * a location.
 */
export function loadPfa(source: DocumentSource | object, options: LoadOptions = {}): PfaEngine {
  checkOptionNames(options, LOAD_OPTION_NAMES, 'loadPfa');
  const text = textOf(source);
  const checked = checkSource(text, source, options);
  return run(text, 'compile', () => new PfaEngine(checked, onlyOptions(options, ENGINE_OPTION_NAMES)));
}
