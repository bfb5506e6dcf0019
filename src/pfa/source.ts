/**
 * PFA source text: JSON (exact for 64-bit integers) or YAML, and mapping a JSON pointer back to
 * the line and column it came from, for error messages. Positions are only computed when an error
 * needs one, so loading a large valid document costs a plain JSON.parse.
 */
import { parse as parseLossless, isSafeNumber } from 'lossless-json';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Node as YamlNode } from 'yaml';
import { PfaSyntaxError, type Location } from '../errors.js';

/** Integers with 16 or more digits may not survive a double: parse those documents exactly. */
const LONG_DIGITS = /[-\d](\d{15,})/;

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

function parseJson(text: string): unknown {
  try {
    if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  } catch {
    // Fall through: the exact parser below reports where the text goes wrong.
  }
  try {
    return parseLossless(text, null, (digits: string) => {
      if (isSafeNumber(digits)) return Number(digits);
      return /^-?\d+$/.test(digits) ? BigInt(digits) : Number(digits);
    });
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    const loc = pos ? lineColumn(text, Number(pos[1])) : undefined;
    throw new PfaSyntaxError('json-syntax', `malformed JSON: ${msg.replace(/ at position \d+$/, '')}`, loc);
  }
}

function parseYaml(text: string): unknown {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, intAsBigInt: false, uniqueKeys: true });
  if (doc.errors.length) {
    const err = doc.errors[0]!;
    const p = lc.linePos(err.pos[0]);
    throw new PfaSyntaxError('yaml-syntax', `malformed YAML: ${err.message.split('\n')[0]}`, { line: p.line, column: p.col });
  }
  return doc.toJS({ maxAliasCount: 100 });
}

/** Parses PFA text: JSON when it starts with `{`, YAML otherwise. */
export function parseSource(text: string): unknown {
  const first = text.trimStart()[0];
  return first === '{' || first === '[' ? parseJson(text) : parseYaml(text);
}

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The line and column of the value at `pointer` in `text` (JSON or YAML), when it can be found. */
export function locate(text: string, pointer: string): Location {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: false });
  let node: unknown = doc.contents;
  let offset = (doc.contents as YamlNode | null)?.range?.[0];
  for (const raw of pointer.split('/').slice(1)) {
    const key = unescape(raw);
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
