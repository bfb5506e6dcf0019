/**
 * PMML text -> a plain element tree with line and column numbers (fast-xml-parser underneath).
 *
 * Documents are untrusted: a DOCTYPE or entity declaration is rejected outright, so nothing is
 * ever fetched or expanded (no billion-laughs blow-up), and nesting is limited.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { PfaSyntaxError, type Location } from '../errors.js';

export interface XmlElement {
  /** Local name, without any namespace prefix. */
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly XmlElement[];
  /** Concatenated text content directly inside the element. */
  readonly text: string;
  /** An XPath-like location, `/PMML/TreeModel/Node[2]`, and the line and column of the start tag. */
  readonly location: Location;
}

const MAX_NESTING = 2000;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  captureMetaData: true,
  // Only the predefined XML entities and character references: a DOCTYPE is rejected before parsing.
  processEntities: true,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  removeNSPrefix: true,
  maxNestedTags: MAX_NESTING,
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

type RawNode = Record<string | symbol, unknown>;

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function position(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

function tagOf(node: RawNode): string | undefined {
  return Object.keys(node).find((k) => k !== ':@');
}

export function parseXml(text: string): XmlElement {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    const at = text.search(/<!DOCTYPE|<!ENTITY/i);
    throw new PfaSyntaxError('xml-doctype', 'DOCTYPE and entity declarations are not allowed in PMML documents', position(lineStarts(text), at));
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new PfaSyntaxError('xml-syntax', `malformed XML: ${msg}`, { line, column: col });
  }
  let raw: RawNode[];
  try {
    raw = parser.parse(text) as RawNode[];
  } catch (e) {
    throw new PfaSyntaxError('xml-syntax', `malformed XML: ${(e as Error).message}`);
  }
  const starts = lineStarts(text);
  const convert = (node: RawNode, tag: string, path: string): XmlElement => {
    const body = (node[tag] as RawNode[]) ?? [];
    const counts = new Map<string, number>();
    const children: XmlElement[] = [];
    let content = '';
    for (const child of body) {
      const t = tagOf(child);
      if (t === undefined) continue;
      if (t === '#text') content += String(child['#text']);
      else if (t === '#comment' || t.startsWith('?')) continue;
      else {
        const n = (counts.get(t) ?? 0) + 1;
        counts.set(t, n);
        children.push(convert(child, t, `${path}/${t}[${n}]`));
      }
    }
    const meta = node[META] as { startIndex?: number } | undefined;
    const pos = meta?.startIndex !== undefined ? position(starts, meta.startIndex) : {};
    return { name: tag, attrs: (node[':@'] as Record<string, string>) ?? {}, children, text: content, location: { pointer: path.replace(/\[1\]/g, ''), ...pos } };
  };
  const root = raw.find((n) => tagOf(n) === 'PMML');
  if (!root) throw new PfaSyntaxError('not-pmml', 'the document has no PMML root element', { line: 1, column: 1 });
  return convert(root, 'PMML', '/PMML');
}

/** Children with a given local name. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}
