/**
 * PFA source text: JSON (exact for 64-bit integers) or YAML, and mapping a JSON pointer back to
 * the line and column it came from, for error messages. Positions are only computed when an error
 * needs one, so loading a large valid document costs a plain JSON.parse and one scan of the text.
 *
 * Documents are untrusted, and the parsers underneath (and the rest of the pipeline) recurse on the
 * document's nesting, so size and depth are measured first, without recursion (docs/reliability.md):
 * JSON text by a scan of its brackets, YAML while its syntax tree is built, a parsed value by an
 * iterative walk.
 */
import { parse as parseLossless, isSafeNumber } from 'lossless-json';
import type { LineCounter, Node as YamlNode } from 'yaml';
import { DependencyError } from '../dependency-error.js';
import { PfaSyntaxError, type Location } from '../errors.js';
// yaml is loaded when a YAML document is parsed or located in, not by importing the library.
import { yaml } from '../lazy-modules.js';

/** Limits on a document's size and shape, checked before anything recursive reads it. */
export interface DocumentLimits {
  /** Deepest nesting of arrays and objects (JSON, YAML) or of elements (PMML XML). */
  readonly maxDepth: number;
  /** Longest text accepted, in UTF-16 code units (bytes, for ASCII text). */
  readonly maxBytes: number;
  /** Most values (objects, arrays, scalars and keys) in a JSON or YAML document. */
  readonly maxNodes: number;
  /** Most alias expansions in a YAML document (an alias bomb expands exponentially). */
  readonly maxYamlAliases: number;
  /** Longest attribute value in a PMML document. */
  readonly maxAttributeLength: number;
  /** Longest run of text between two tags in a PMML document. */
  readonly maxTextLength: number;
  /** Most elements in a PMML document. */
  readonly maxElements: number;
}

/**
 * Defaults. The depth is what the rest of the pipeline handles: a document nested this deep
 * (expressions, types, literal values) parses, checks and compiles on a default Node stack.
 */
export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = {
  maxDepth: 1000,
  maxBytes: 64 * 1024 * 1024,
  maxNodes: 8_000_000,
  maxYamlAliases: 100,
  maxAttributeLength: 1024 * 1024,
  maxTextLength: 16 * 1024 * 1024,
  maxElements: 1_000_000,
};

/** The limits given, with the default for each one not given (or given as undefined). */
export function documentLimits(limits?: Partial<DocumentLimits>): DocumentLimits {
  if (!limits) return DEFAULT_DOCUMENT_LIMITS;
  const out: Record<string, number> = { ...DEFAULT_DOCUMENT_LIMITS };
  for (const [k, v] of Object.entries(limits)) if (typeof v === 'number' && k in out) out[k] = v;
  return out as unknown as DocumentLimits;
}

function tooDeep(max: number, location: Location): never {
  throw new PfaSyntaxError('too-deep', `the document is nested deeper than ${max} levels`, location);
}

function tooLarge(what: string, location: Location): never {
  throw new PfaSyntaxError('too-large', `the document is too large: ${what}`, location);
}

function checkLength(text: string, limits: DocumentLimits): void {
  if (text.length > limits.maxBytes) tooLarge(`more than ${limits.maxBytes} characters`, lineColumn(text, limits.maxBytes));
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

const OPEN_OBJECT = 1;
const OPEN_ARRAY = 2;

/**
 * A number token that needs nothing of the exact parser: at most 15 integer digits, no exponent, a
 * fraction (if any) ending in a non-zero digit, then a delimiter. Anything else is classified by
 * `classifyNumber`.
 */
const PLAIN_NUMBER = /-?(?:0|[1-9]\d{0,14})(?:\.\d*[1-9])?(?=[,\]}:" \t\n\r{[]|$)/y;

/** What the scan of JSON text found in its number tokens (strings are skipped, so nothing in them counts). */
export interface JsonNumbers {
  /** Some integer has 16 or more digits, and may not survive a double. */
  longInteger: boolean;
  /** Some number written with a fraction or an exponent is integral (`1.0`, `1e3`): PFA types it as double. */
  integralDouble: boolean;
}

/**
 * Classifies the number token text[start, end) for `JsonNumbers`. Digits are looked at as
 * characters; only a token with an exponent, or a fraction after 16 or more digits (beyond 2^53,
 * `9007199254740993.5` reads as an integer), is converted to see whether it is integral.
 */
function classifyNumber(text: string, start: number, end: number, found: JsonNumbers): void {
  const first = text.charCodeAt(start);
  if (first !== 0x2d && (first < 0x30 || first > 0x39)) return; // true, false, null
  let digits = 0;
  let fraction = false;
  let exponent = false;
  let nonZeroFraction = false;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0x30 && c <= 0x39) {
      if (exponent) continue;
      if (!fraction) digits++;
      else if (c !== 0x30) nonZeroFraction = true;
    } else if (c === 0x2e) fraction = true;
    else if (c === 0x65 || c === 0x45) exponent = true;
  }
  if (!fraction && !exponent) {
    if (digits >= 16) found.longInteger = true;
  } else if (!exponent && !nonZeroFraction) found.integralDouble = true;
  else if ((exponent || digits >= 16) && Number.isInteger(Number(text.slice(start, end)))) found.integralDouble = true;
}

/**
 * One pass over JSON text, outside strings: nesting depth, the number of values, duplicate keys
 * (which JSON.parse would silently resolve to the last), and the number tokens that need the exact
 * parser. Malformed text is left to the parser to report; the scan only stops where a limit is passed.
 */
export function scanJson(text: string, partial?: Partial<DocumentLimits>): JsonNumbers {
  const found: JsonNumbers = { longInteger: false, integralDouble: false };
  const limits = documentLimits(partial);
  checkLength(text, limits);
  const n = text.length;
  const max = limits.maxDepth;
  const open: number[] = [];
  // Keys of the open objects, as runs of the text: no string is made for a key (a large document
  // has hundreds of thousands). Key k starts at keyStart[k] and is keyLength[k] characters long;
  // the keys of the object at depth d are those from keyBase[d] on, compared character by
  // character. An object with an escaped key, or with more than SHORT_OBJECT keys, compares its
  // keys decoded, in a set.
  const keyStart: number[] = [];
  const keyLength: number[] = [];
  const keyBase: number[] = [0];
  const keySets: (Set<string> | undefined)[] = [];
  let keyCount = 0;
  // The first backslash at or after the current key (n when there is none), kept up to date forward only.
  let nextEscape = escapeFrom(text, 0);
  const maxNodes = limits.maxNodes;
  let depth = 0;
  let nodes = 0;
  let expectKey = false;
  const tooMany = (at: number): never => tooLarge(`more than ${maxNodes} values`, lineColumn(text, at));
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    switch (c) {
      case 0x20:
      case 0x09:
      case 0x0a:
      case 0x0d:
        break;
      case 0x22: {
        let j = i + 1;
        for (;;) {
          j = text.indexOf('"', j);
          if (j < 0) return found;
          let b = j - 1;
          while (text.charCodeAt(b) === 0x5c) b--;
          if ((j - 1 - b) % 2 === 0) break;
          j++;
        }
        if (++nodes > maxNodes) tooMany(i);
        if (expectKey && depth > 0 && open[depth] === OPEN_OBJECT) {
          expectKey = false;
          const start = i + 1;
          const length = j - start;
          if (nextEscape < start) nextEscape = escapeFrom(text, start);
          const base = keyBase[depth]!;
          const set = keySets[depth];
          if (set === undefined && nextEscape > j && keyCount - base < SHORT_OBJECT) {
            for (let k = base; k < keyCount; k++)
              if (keyLength[k] === length && sameRun(text, keyStart[k]!, start, length)) duplicateKey(text, text.slice(start, j), i);
            keyStart[keyCount] = start;
            keyLength[keyCount] = length;
            keyCount++;
          } else {
            const keys = set ?? (keySets[depth] = runsToSet(text, keyStart, keyLength, base, keyCount));
            if (!addDecodedKey(text, i, j, nextEscape < j, keys)) return found;
          }
        }
        i = j;
        break;
      }
      case 0x7b: // {
      case 0x5b: // [
        if (++nodes > maxNodes) tooMany(i);
        if (++depth > max) tooDeep(max, lineColumn(text, i));
        open[depth] = c === 0x7b ? OPEN_OBJECT : OPEN_ARRAY;
        keyBase[depth] = keyCount;
        keySets[depth] = undefined;
        expectKey = c === 0x7b;
        break;
      case 0x7d: // }
      case 0x5d: // ]
        if (depth > 0) keyCount = keyBase[depth]!;
        keySets[depth] = undefined;
        if (--depth < 0) return found;
        expectKey = false;
        break;
      case 0x2c: // ,
        expectKey = depth > 0 && open[depth] === OPEN_OBJECT;
        break;
      case 0x3a: // :
        expectKey = false;
        break;
      default: {
        // A number or literal: one value up to the next delimiter.
        if (++nodes > maxNodes) tooMany(i);
        // Most tokens are plain numbers, matched natively: a loop over their digits runs in the
        // interpreter when the scan is new, which costs more than the parse.
        PLAIN_NUMBER.lastIndex = i;
        if (PLAIN_NUMBER.test(text)) {
          i = PLAIN_NUMBER.lastIndex - 1;
          break;
        }
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (
            d === 0x2c ||
            d === 0x5d ||
            d === 0x7d ||
            d === 0x3a ||
            d === 0x22 ||
            d === 0x20 ||
            d === 0x0a ||
            d === 0x0d ||
            d === 0x09 ||
            d === 0x7b ||
            d === 0x5b
          )
            break;
          j++;
        }
        if (!(found.longInteger && found.integralDouble)) classifyNumber(text, i, j, found);
        i = j - 1;
      }
    }
  }
  return found;
}

/** Keys an object compares as runs of the text before it moves them to a set. */
const SHORT_OBJECT = 16;

/** Whether text[a, a + length) and text[b, b + length) are the same characters. */
function sameRun(text: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

/** The offset of the first backslash at or after `from`, or the text's length. */
function escapeFrom(text: string, from: number): number {
  const k = text.indexOf('\\', from);
  return k < 0 ? text.length : k;
}

/** The keys text[start[k], start[k] + length[k]) for k in [from, to), which have no escapes, as a set. */
function runsToSet(text: string, start: readonly number[], length: readonly number[], from: number, to: number): Set<string> {
  const set = new Set<string>();
  for (let k = from; k < to; k++) set.add(text.slice(start[k]!, start[k]! + length[k]!));
  return set;
}

/**
 * Adds the key whose quotes are at `open` and `close` to `keys`, decoded when `escaped`; throws
 * when the object has it already. False when the key is not a JSON string (the parser reports it).
 */
function addDecodedKey(text: string, open: number, close: number, escaped: boolean, keys: Set<string>): boolean {
  let key = text.slice(open + 1, close);
  if (escaped) {
    try {
      key = JSON.parse(text.slice(open, close + 1)) as string;
    } catch {
      return false;
    }
  }
  if (keys.has(key)) duplicateKey(text, key, open);
  keys.add(key);
  return true;
}

function duplicateKey(text: string, key: string, at: number): never {
  throw new PfaSyntaxError('duplicate-key', `malformed JSON: duplicate key ${JSON.stringify(key)}`, lineColumn(text, at));
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Measures a parsed document (or any JSON-like value) without recursion: its depth and its number
 * of values, counted as written out in full (a value reached twice counts twice, and a cycle ends
 * at the depth limit). Throws a located `too-deep` or `too-large` PfaSyntaxError.
 */
export function measureDocument(json: unknown, limits?: Partial<DocumentLimits>): void {
  const lim = documentLimits(limits);
  // Without a finite limit no count can fail, and the walk (17-20 ms over a lowered 3 MB forest)
  // would only find that out: loadPmml passes its own lowered documents with both limits infinite.
  if (lim.maxNodes === Infinity && lim.maxDepth === Infinity) return;
  interface Frame {
    readonly value: Record<string, unknown> | unknown[];
    readonly keys: readonly string[] | undefined;
    next: number;
  }
  const stack: Frame[] = [];
  let nodes = 0;
  // The pointer of the value being entered: every open container's current member.
  const pointer = (): string => stack.map((f) => `/${f.keys ? escapePointer(f.keys[f.next - 1]!) : f.next - 1}`).join('');
  const enter = (v: unknown): void => {
    if (++nodes > lim.maxNodes) tooLarge(`more than ${lim.maxNodes} values`, { pointer: pointer() });
    if (typeof v !== 'object' || v === null) return;
    if (v instanceof Map || ArrayBuffer.isView(v)) return;
    if (stack.length >= lim.maxDepth) tooDeep(lim.maxDepth, { pointer: pointer() });
    if (Array.isArray(v)) stack.push({ value: v, keys: undefined, next: 0 });
    else stack.push({ value: v as Record<string, unknown>, keys: Object.keys(v), next: 0 });
  };
  enter(json);
  while (stack.length) {
    const f = stack[stack.length - 1]!;
    const size = f.keys ? f.keys.length : (f.value as unknown[]).length;
    if (f.next >= size) {
      stack.pop();
      continue;
    }
    const i = f.next++;
    enter(f.keys ? (f.value as Record<string, unknown>)[f.keys[i]!] : (f.value as unknown[])[i]);
  }
}

/**
 * A number token written with a fraction or an exponent (`1.0`, `1e3`) whose value is integral:
 * PFA types such a literal as double, which the plain number alone cannot tell from `1`.
 */
class WrittenDouble {
  constructor(readonly value: number) {}
}

/**
 * Replaces the WrittenDouble markers of a freshly parsed tree by plain numbers, recording their
 * JSON pointers. Iterative, so that the depth of the tree does not matter here.
 */
function unmarkDoubles(root: unknown, doubles: Set<string>): unknown {
  if (root instanceof WrittenDouble) {
    doubles.add('');
    return root.value;
  }
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    const holder = node as Record<string, unknown>;
    for (const key of Object.keys(holder)) {
      const v = holder[key];
      if (typeof v !== 'object' || v === null) continue;
      const child = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (v instanceof WrittenDouble) {
        holder[key] = v.value;
        doubles.add(child);
      } else stack.push([v, child]);
    }
  }
  return root;
}

function parseJson(text: string, limits: DocumentLimits, doubles?: Set<string>): unknown {
  const numbers = scanJson(text, limits);
  try {
    if (!numbers.longInteger && !(doubles && numbers.integralDouble)) return JSON.parse(text);
  } catch {
    // Fall through: the exact parser below reports where the text goes wrong.
  }
  let marked = false;
  let json: unknown;
  try {
    json = parseLossless(text, null, (digits: string) => {
      if (/^-?\d+$/.test(digits)) return isSafeNumber(digits) ? Number(digits) : BigInt(digits);
      const n = Number(digits);
      if (doubles && Number.isInteger(n)) {
        marked = true;
        return new WrittenDouble(n);
      }
      return n;
    });
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const loc = pos ? lineColumn(text, Number(pos[1])) : undefined;
    throw new PfaSyntaxError('json-syntax', `malformed JSON: ${msg.replace(/ at position \d+$/, '')}`, loc);
  }
  return marked ? unmarkDoubles(json, doubles!) : json;
}

/**
 * YAML's syntax tree is built iteratively, but composing it into nodes and converting those to JS
 * values recurse: the tree's depth is watched while it is built, and the text is refused as soon
 * as it passes the limit (with a little slack for the document level; the value is measured
 * exactly afterwards).
 */
/** The JSON pointers of YAML scalars that are integral numbers written as decimals (`1.0`, `1e3`). Iterative. */
function yamlDoubles(text: string, root: unknown, doubles: Set<string>): void {
  const { isMap, isSeq, isScalar, isPair } = yaml();
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    if (isMap(node)) {
      for (const it of node.items)
        if (isPair(it) && isScalar(it.key))
          stack.push([it.value, `${at}/${String(it.key.value).replace(/~/g, '~0').replace(/\//g, '~1')}`]);
    } else if (isSeq(node)) {
      for (const [i, it] of node.items.entries()) stack.push([it, `${at}/${i}`]);
    } else if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value) && node.range) {
      const written = text.slice(node.range[0], node.range[1]);
      if (/[.eE]/.test(written) && !/^[-+]?0[xXoO]/.test(written)) doubles.add(at);
    }
  }
}

function parseYaml(text: string, limits: DocumentLimits, doubles?: Set<string>): unknown {
  checkLength(text, limits);
  const { Composer, Lexer, LineCounter, Parser, visit } = yaml();
  const lc = new LineCounter();
  const parser = new Parser(lc.addNewLine);
  lc.addNewLine(0);
  const tokens = [];
  for (const lexeme of new Lexer().lex(text, false)) {
    for (const token of parser.next(lexeme)) tokens.push(token);
    if (parser.stack.length > limits.maxDepth + 2) tooDeep(limits.maxDepth, position(lc, parser.offset));
  }
  for (const token of parser.end()) tokens.push(token);
  const composer = new Composer({ intAsBigInt: false, uniqueKeys: true });
  const docs = [...composer.compose(tokens, true, text.length)];
  const doc = docs[0];
  if (!doc) return null;
  const first = doc.errors[0];
  if (first) throw new PfaSyntaxError('yaml-syntax', `malformed YAML: ${first.message.split('\n')[0]}`, position(lc, first.pos[0]));
  if (docs.length > 1) throw new PfaSyntaxError('yaml-syntax', 'malformed YAML: more than one document', position(lc, docs[1]!.range[0]));
  if (doubles) yamlDoubles(text, doc.contents, doubles);
  let json: unknown;
  try {
    json = doc.toJS({ maxAliasCount: limits.maxYamlAliases });
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    // yaml refuses an alias expansion that outgrows the document, or an alias to an unknown anchor.
    let at: number | undefined;
    visit(doc, {
      Alias(_k, node) {
        at = node.range?.[0];
        return visit.BREAK;
      },
    });
    const loc = at === undefined ? { line: 1, column: 1 } : position(lc, at);
    if (/alias count/i.test(e.message)) tooLarge(`aliases expand past ${limits.maxYamlAliases} times the document`, loc);
    throw new PfaSyntaxError('yaml-syntax', `malformed YAML: ${e.message}`, loc);
  }
  measureDocument(json, limits);
  return json;
}

function position(lc: LineCounter, offset: number): Location {
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
}

/**
 * Parses PFA text: JSON when it starts with `{`, YAML otherwise. Limits not given take their
 * defaults (DEFAULT_DOCUMENT_LIMITS). When `doubles` is given, it receives the JSON pointers of the
 * integral numbers written with a fraction or an exponent (`1.0`, `1e3`), which PFA types as
 * double (the returned values are plain numbers).
 */
export function parseSource(text: string, limits?: Partial<DocumentLimits>, doubles?: Set<string>): unknown {
  const lim = documentLimits(limits);
  if (!isJsonText(text)) return parseYaml(text, lim, doubles);
  const json = parseJson(text, lim, doubles);
  // A member named "@" is written "@" or with the character escaped: a text with neither holds no
  // locator mark, and its value is not walked to look for one (parse.ts, stripLocators).
  if (typeof json === 'object' && json !== null && !text.includes('"@"') && !text.includes('\\u0040')) withoutLocators(json);
  return json;
}

/** Values known to hold no locator mark (a member "@" with a string value) anywhere inside. */
const unmarked = new WeakSet<object>();

/**
 * Declares that `json` holds no locator mark, so that parsing it does not walk it to look for one:
 * JSON text searched for them, and the documents loadPmml lowers, which Trajan writes without any
 * (where a map key "@" is a PMML category, not a mark to remove).
 */
export function withoutLocators<T extends object>(json: T): T {
  unmarked.add(json);
  return json;
}

/** Whether `withoutLocators` was said of `json`. */
export const knownWithoutLocators = (json: unknown): boolean => typeof json === 'object' && json !== null && unmarked.has(json);

/** Documents known to be their loader's own (ownedDocument). */
const owned = new WeakSet<object>();

/**
 * Declares that `json` is its loader's own: a tree (no object in it twice, as JSON.parse makes
 * them) that nothing else holds or reads again, so that parsing it may turn its cells' and pools'
 * values into their runtime values in place (fromOwnJson) rather than copy them: for a
 * 300-tree forest that copy was 38,000 records for the collector to move.
 */
export function ownedDocument<T extends object>(json: T): T {
  owned.add(json);
  return json;
}

/** Whether `ownedDocument` was said of `json`. */
export const isOwnedDocument = (json: unknown): boolean => typeof json === 'object' && json !== null && owned.has(json);

/** parseSource for a loader that reads the document once: JSON text gives a document of its own (ownedDocument). YAML may share a node between places (aliases): it does not. */
export function parseOwnSource(text: string, limits?: Partial<DocumentLimits>, doubles?: Set<string>): unknown {
  const json = parseSource(text, limits, doubles);
  return isJsonText(text) && typeof json === 'object' && json !== null ? ownedDocument(json) : json;
}

/** Whether parseSource reads `text` as JSON (else as YAML). */
function isJsonText(text: string): boolean {
  const first = text.trimStart()[0];
  return first === '{' || first === '[';
}

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The line and column of the value at `pointer` in `text` (JSON or YAML), when it can be found. */
export function locate(text: string, pointer: string): Location {
  return locator(text)(pointer);
}

/** `locate` for many pointers into one text: the text is read once. */
export function locator(text: string): (pointer: string) => Location {
  let y: ReturnType<typeof yaml>;
  try {
    y = yaml();
  } catch (e) {
    // The browser build before `ready()`: the error keeps its pointer, without line and column.
    if (e instanceof DependencyError) return (pointer) => ({ pointer });
    throw e;
  }
  const { LineCounter, parseDocument } = y;
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: false });
  return (pointer) => locateIn(y, doc, lc, pointer);
}

function locateIn(
  y: ReturnType<typeof yaml>,
  doc: ReturnType<ReturnType<typeof yaml>['parseDocument']>,
  lc: LineCounter,
  pointer: string,
): Location {
  const { isMap, isSeq, isScalar, isPair } = y;
  let node: unknown = doc.contents;
  let offset = (doc.contents as YamlNode | null)?.range?.[0];
  for (const raw of pointer.split('/').slice(1)) {
    const key = unescapeToken(raw);
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === key);
      if (!pair) break;
      // A member is located at its key, which is where a reader looks for it.
      offset = (pair.key as YamlNode).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(key)];
      if (item === undefined) break;
      node = item;
      if ((node as YamlNode | null)?.range) offset = (node as YamlNode).range![0];
    } else break;
  }
  if (offset === undefined) return { pointer };
  const p = lc.linePos(offset);
  return { pointer, line: p.line, column: p.col };
}
