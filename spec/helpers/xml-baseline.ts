/**
 * The reference XML reader: PMML text -> the same element tree as parseXml (xml.ts), built by
 * fast-xml-parser's validator and parser. It is several times slower than src/pmml/xml-reader.ts
 * and is kept as the plain baseline the specs compare the fast reader with
 * (spec/pmml/xml-reader.spec.ts); the library does not use it, so fast-xml-parser is a dev
 * dependency.
 *
 * Documents are untrusted: a DOCTYPE or entity declaration is rejected outright, so nothing is
 * ever fetched or expanded (no billion-laughs blow-up), and size, element count, attribute and text
 * lengths and nesting are measured by one scan of the text before the parser (which builds copies of
 * every attribute and recurses on nesting) runs (docs/reliability.md).
 */
import * as fxp from 'fast-xml-parser';
import type { X2jOptions, XMLParser } from 'fast-xml-parser';
import { PfaSyntaxError } from '../../src/errors.js';
import { DEFAULT_DOCUMENT_LIMITS, documentLimits, type DocumentLimits } from '../../src/pfa/source.js';
import type { XmlElement } from '../../src/pmml/xml.js';

const PARSER_OPTIONS: X2jOptions = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  captureMetaData: true,
  // The predefined XML entities (character references stay as written): a DOCTYPE is rejected before parsing.
  processEntities: true,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  removeNSPrefix: true,
};
let defaultParser: XMLParser | undefined;

function parserFor(maxDepth: number): XMLParser {
  // The scan has already refused deeper text; the parser's own limit stays as a second guard.
  return new fxp.XMLParser({ ...PARSER_OPTIONS, maxNestedTags: maxDepth + 1 });
}

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

function tooLarge(text: string, what: string, at: number): never {
  throw new PfaSyntaxError('too-large', `the document is too large: ${what}`, position(lineStarts(text), at));
}

/**
 * One pass over the markup, without recursion: elements are counted, nesting followed by start and
 * end tags, and every attribute value and run of text measured. Malformed markup is left to the
 * validator to report; the scan only stops where a limit is passed.
 */
export function scanXml(text: string, partial?: Partial<DocumentLimits>): void {
  const limits = documentLimits(partial);
  if (text.length > limits.maxBytes) tooLarge(text, `more than ${limits.maxBytes} characters`, limits.maxBytes);
  const n = text.length;
  let depth = 0;
  let elements = 0;
  let i = 0;
  while (i < n) {
    const lt = text.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd - i > limits.maxTextLength) tooLarge(text, `text longer than ${limits.maxTextLength} characters`, i);
    if (lt < 0) return;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) return;
      i = end + 3;
    } else if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) return;
      if (end - lt - 9 > limits.maxTextLength) tooLarge(text, `text longer than ${limits.maxTextLength} characters`, lt);
      i = end + 3;
    } else if (text.startsWith('<?', lt)) {
      const end = text.indexOf('?>', lt + 2);
      if (end < 0) return;
      i = end + 2;
    } else if (text.startsWith('</', lt)) {
      const end = text.indexOf('>', lt + 2);
      if (end < 0) return;
      depth--;
      i = end + 1;
    } else {
      // A start tag (or a declaration, which parseXml refuses before the scan).
      if (++elements > limits.maxElements) tooLarge(text, `more than ${limits.maxElements} elements`, lt);
      let j = lt + 1;
      for (;;) {
        if (j >= n) return;
        const c = text.charCodeAt(j);
        if (c === 0x3e) break; // >
        if (c === 0x22 || c === 0x27) {
          const end = text.indexOf(c === 0x22 ? '"' : "'", j + 1);
          if (end < 0) return;
          if (end - j - 1 > limits.maxAttributeLength)
            tooLarge(text, `an attribute value longer than ${limits.maxAttributeLength} characters`, j);
          j = end + 1;
        } else j++;
      }
      if (text.charCodeAt(j - 1) !== 0x2f && ++depth > limits.maxDepth) {
        throw new PfaSyntaxError(
          'too-deep',
          `the document is nested deeper than ${limits.maxDepth} levels`,
          position(lineStarts(text), lt),
        );
      }
      i = j + 1;
    }
  }
}

/** Parses PMML text as parseXml does; limits not given take their defaults (DEFAULT_DOCUMENT_LIMITS). */
export function parseXmlBaseline(text: string, limits?: Partial<DocumentLimits>): XmlElement {
  const lim = documentLimits(limits);
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) {
    const at = text.search(/<!DOCTYPE|<!ENTITY/i);
    throw new PfaSyntaxError(
      'xml-doctype',
      'DOCTYPE and entity declarations are not allowed in PMML documents',
      position(lineStarts(text), at),
    );
  }
  scanXml(text, lim);
  const valid = fxp.XMLValidator.validate(text);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new PfaSyntaxError('xml-syntax', `malformed XML: ${msg}`, { line, column: col });
  }
  let raw: RawNode[];
  try {
    const parser =
      lim.maxDepth === DEFAULT_DOCUMENT_LIMITS.maxDepth ? (defaultParser ??= parserFor(lim.maxDepth)) : parserFor(lim.maxDepth);
    raw = parser.parse(text) as RawNode[];
  } catch (e) {
    throw new PfaSyntaxError('xml-syntax', `malformed XML: ${(e as Error).message}`);
  }
  const starts = lineStarts(text);
  const META = fxp.XMLParser.getMetaDataSymbol() as unknown as symbol;
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
    return {
      name: tag,
      attrs: (node[':@'] as Record<string, string>) ?? {},
      children,
      text: content,
      location: { pointer: path.replace(/\[1\]/g, ''), ...pos },
    };
  };
  const root = raw.find((n) => tagOf(n) === 'PMML');
  if (!root) throw new PfaSyntaxError('not-pmml', 'the document has no PMML root element', { line: 1, column: 1 });
  return convert(root, 'PMML', '/PMML');
}
