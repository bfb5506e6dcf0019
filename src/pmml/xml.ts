/**
 * PMML text -> a plain element tree with line and column numbers (xml-reader.ts reads it).
 *
 * Documents are untrusted: a DOCTYPE or entity declaration is refused where it stands, so nothing
 * is ever fetched or expanded (no billion-laughs blow-up); size, element count, attribute and text
 * lengths and nesting are checked as the text is read, before what they bound is kept
 * (docs/reliability.md).
 */
import type { Location } from '../errors.js';
import { documentLimits, type DocumentLimits } from '../pfa/source.js';
import { readXml } from './xml-reader.js';

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

/** Parses PMML text; limits not given take their defaults (DEFAULT_DOCUMENT_LIMITS). */
export function parseXml(text: string, limits?: Partial<DocumentLimits>): XmlElement {
  return readXml(text, documentLimits(limits));
}

/** Children with a given local name. */
export function childrenNamed(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

export function child(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c) => c.name === name);
}
