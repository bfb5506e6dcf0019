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

/**
 * A number token written with a fraction or an exponent (`1.0`, `1e3`) whose value is integral:
 * PFA types such a literal as double, which the plain number alone cannot tell from `1`.
 */
class WrittenDouble {
  constructor(readonly value: number) {}
}

/** Whether the text may hold an integral number written as a double (false positives only cost speed). */
const INTEGRAL_DOUBLE = /\d(?:\.0*(?!\d)|[eE])/;

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

function parseJson(text: string, doubles?: Set<string>): unknown {
  try {
    if (!LONG_DIGITS.test(text) && !(doubles && INTEGRAL_DOUBLE.test(text))) return JSON.parse(text);
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

/** The JSON pointers of YAML scalars that are integral numbers written as decimals (`1.0`, `1e3`). Iterative. */
function yamlDoubles(text: string, root: unknown, doubles: Set<string>): void {
  const stack: [unknown, string][] = [[root, '']];
  while (stack.length > 0) {
    const [node, at] = stack.pop()!;
    if (isMap(node)) {
      for (const it of node.items) if (isPair(it) && isScalar(it.key)) stack.push([it.value, `${at}/${String(it.key.value).replace(/~/g, '~0').replace(/\//g, '~1')}`]);
    } else if (isSeq(node)) {
      node.items.forEach((it, i) => stack.push([it, `${at}/${i}`]));
    } else if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value) && node.range) {
      const written = text.slice(node.range[0], node.range[1]);
      if (/[.eE]/.test(written) && !/^[-+]?0[xXoO]/.test(written)) doubles.add(at);
    }
  }
}

function parseYaml(text: string, doubles?: Set<string>): unknown {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, intAsBigInt: false, uniqueKeys: true });
  if (doc.errors.length) {
    const err = doc.errors[0]!;
    const p = lc.linePos(err.pos[0]);
    throw new PfaSyntaxError('yaml-syntax', `malformed YAML: ${err.message.split('\n')[0]}`, { line: p.line, column: p.col });
  }
  if (doubles) yamlDoubles(text, doc.contents, doubles);
  return doc.toJS({ maxAliasCount: 100 });
}

/**
 * Parses PFA text: JSON when it starts with `{`, YAML otherwise. When `doubles` is given, it
 * receives the JSON pointers of the integral numbers written with a fraction or an exponent
 * (`1.0`, `1e3`), which PFA types as double (the returned values are plain numbers).
 */
export function parseSource(text: string, doubles?: Set<string>): unknown {
  const first = text.trimStart()[0];
  return first === '{' || first === '[' ? parseJson(text, doubles) : parseYaml(text, doubles);
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
