/**
 * The XML reader of the load path: one pass over PMML text that checks well-formedness, enforces
 * the document limits and builds the element tree with each element's path, line and column.
 *
 * Why a reader of our own: the tree of a 3 MB forest took fast-xml-parser (validator, parser with
 * its metadata, then our conversion) about 0.8 s. Of the well-kept alternatives measured here, the
 * one that checks well-formedness and gives positions (saxes) took about 200 ms to build the same
 * tree, without the limits; the others check less and still took 110-220 ms for their own output
 * (docs/performance.md, "Loading large PMML documents"); this reader took 150-160 ms in a fresh
 * process and 95-105 ms warm, with the limits, before elements were located on demand. PMML needs
 * little of XML: elements, attributes, text, CDATA, comments and processing instructions, and no
 * DOCTYPE (refused, so no entity is ever declared, fetched or expanded). Each of those is found
 * with indexOf or a short charCodeAt loop. The fast-xml-parser reading stays beside it as the
 * baseline (spec/helpers/xml-baseline.ts); a spec compares the two on the conformance corpus.
 *
 * The tree is what a load keeps longest, and the collector copies what survives: an element holds
 * no location until one is asked for, its child list is trimmed to size, and repeated short
 * attribute values are one string (a forest's tree went from 15.4 to 11.0 MB).
 *
 * Untrusted input: nothing recurses (open elements are an explicit stack), and each limit is
 * checked before the thing it bounds is copied or kept: element count and nesting at the start tag,
 * attribute length before the value is sliced, text length before the run is sliced.
 */
import { PfaSyntaxError, type Location } from '../errors.js';
import type { DocumentLimits } from '../pfa/source.js';
import type { XmlElement } from './xml.js';
import { noteShape, nodesUnder, othersUnder, ROOT_NODES, ROOT_OTHERS, ShapeNotes } from './xml-shape.js';
import { decodeReferences, normalizeAttributeSpace, normalizeLineEnds, positionOf, syntaxError } from './xml-text.js';

/**
 * The path of an element that has children, for theirs: its step and its parent's path. Children
 * keep this rather than their parent (a model keeps a few elements, a DataField or its
 * ModelVerification: a parent would keep the whole tree alive with them) and rather than a string
 * of their own path, made only when asked for.
 */
interface PathNode {
  readonly up: PathNode | undefined;
  readonly step: string;
}

/**
 * An element as read: the fields of XmlElement, with its location made when first asked for
 * (locations are for errors: nearly every element of a loaded document is never located).
 */
class Element implements XmlElement {
  readonly name: string;
  readonly attrs: Record<string, string>;
  children: Element[];
  text: string;
  /** The parent's path (undefined for the root) and this element's step, `/Node[2]`. */
  readonly #parent: PathNode | undefined;
  readonly #step: string;
  readonly #line: number;
  readonly #column: number;
  #location: Location | undefined;

  constructor(name: string, attrs: Record<string, string>, parent: PathNode | undefined, step: string, line: number, column: number) {
    this.name = name;
    this.attrs = attrs;
    this.children = NO_CHILDREN;
    this.text = '';
    this.#parent = parent;
    this.#step = step;
    this.#line = line;
    this.#column = column;
    this.#location = undefined;
  }

  /** `/PMML/TreeModel/Node[2]`, and the line and column of the start tag. */
  get location(): Location {
    if (this.#location !== undefined) return this.#location;
    // Iterative: elements nest as deep as the document limit allows.
    const steps = [this.#step];
    for (let p = this.#parent; p !== undefined; p = p.up) steps.push(p.step);
    return (this.#location = { pointer: steps.reverse().join(''), line: this.#line, column: this.#column });
  }

  /** The element as plain data, as XmlElement describes it (JSON.stringify does not call getters). */
  toJSON(): XmlElement {
    return { name: this.name, attrs: this.attrs, children: this.children, text: this.text, location: this.location };
  }
}

/**
 * An element whose end tag has not been read yet. There is one frame per nesting level, reused by
 * every element opened at that level: a forest has tens of thousands of elements with children,
 * and what the reader made for each while it was open (the frame, its children's list grown a slot
 * at a time, the counts of their names) was garbage the collector met while it copied the tree.
 */
class Open {
  element!: Element;
  /** The element's path, for its children's. */
  path!: PathNode;
  /** The name as written, prefix included: the end tag must repeat it. */
  qname = '';
  start = 0;
  /** The children so far, `kids[0, kidCount)`: the element gets an exact copy at its end tag. */
  readonly kids: Element[] = [];
  kidCount = 0;
  /** The distinct names of the children so far and how many of each, for `[n]` in their paths. */
  readonly childNames: string[] = [];
  readonly childCounts: number[] = [];
  nameCount = 0;
  /** Past a few distinct names, the counts by name (so that a wide element is not a quadratic search). */
  byName: Map<string, number> | undefined = undefined;
  /** How deep the element is among Nodes and among other elements (xml-shape.ts). */
  nodes = 0;
  others = 0;

  open(element: Element, path: PathNode, qname: string, start: number, nodes: number, others: number): void {
    this.element = element;
    this.path = path;
    this.qname = qname;
    this.start = start;
    this.nodes = nodes;
    this.others = others;
    this.kidCount = 0;
    this.nameCount = 0;
    this.byName = undefined;
  }

  /** The element's children, exact: a shared empty list for a leaf. */
  close(): void {
    const { kids, kidCount } = this;
    this.element.children = kidCount === 0 ? NO_CHILDREN : kids.slice(0, kidCount);
  }

  /** Which child of its name a new child named `name` is (1 for the first). */
  siblingNumber(name: string): number {
    if (this.byName !== undefined) {
      const k = (this.byName.get(name) ?? 0) + 1;
      this.byName.set(name, k);
      return k;
    }
    const { childNames, childCounts } = this;
    // From the last name back: children of one name mostly come one after another.
    for (let i = this.nameCount - 1; i >= 0; i--) if (childNames[i] === name) return ++childCounts[i]!;
    if (this.nameCount === LIST_NAMES) {
      this.byName = new Map(childNames.slice(0, LIST_NAMES).map((n, i) => [n, childCounts[i]!]));
      this.byName.set(name, 1);
      return 1;
    }
    childNames[this.nameCount] = name;
    childCounts[this.nameCount] = 1;
    this.nameCount++;
    return 1;
  }
}

/** The children of an element that has none, shared: leaves are most of a document's elements. */
const NO_CHILDREN: Element[] = Object.freeze([]) as unknown as Element[];

/** Distinct child names searched in a list before the counts move to a map. */
const LIST_NAMES = 16;

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const AMP = 0x26;

/** XML 1.0's XMLDecl: a version, then optionally an encoding and a standalone declaration, in that order. */
const XML_DECLARATION =
  /^<\?xml[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(["'])1\.[0-9]+\1([ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?([ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(["'])(yes|no)\5)?[ \t\r\n]*\?>$/;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** Name characters, read loosely past ASCII: any non-ASCII character may be part of a name. */
function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0x80;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
}

/**
 * V8 makes a slice of 13 characters or more a view into the string it was cut from: a name or a
 * value an element keeps would keep the whole document text alive with it, as long as the model
 * keeps that element (its ModelVerification, its DataFields) or a string of the lowered document.
 * Prefixing a character and slicing it off again copies the characters into a string of their own
 * (the concatenation is flattened before it is sliced). Shorter slices are copies already.
 */
const MIN_VIEW = 13;
function ownString(s: string): string {
  return s.length < MIN_VIEW ? s : ` ${s}`.slice(1);
}

/** The local name: what follows the first colon, if any (as the baseline reads prefixes). */
function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

/**
 * Strings of the text, one string per distinct run met: a document repeats a few dozen names, and
 * many short attribute values (operators, field names, categories), tens of thousands of times.
 * A run met before is found by comparing characters, without slicing a new string, which the
 * element tree would then keep (names would also be hashed again as property keys). A slot holds
 * the last string that hashed to it.
 */
class StringTable {
  private readonly slots: (string | undefined)[];

  constructor(
    private readonly text: string,
    private readonly mask: number,
  ) {
    this.slots = new Array<string | undefined>(mask + 1).fill(undefined);
  }

  get(start: number, end: number): string {
    const { text } = this;
    const length = end - start;
    const slot =
      (text.charCodeAt(start) * 31 + text.charCodeAt(end - 1) * 7 + text.charCodeAt((start + end) >> 1) * 131 + length) & this.mask;
    const known = this.slots[slot];
    if (known !== undefined && known.length === length && text.startsWith(known, start)) return known;
    const s = ownString(text.slice(start, end));
    this.slots[slot] = s;
    return s;
  }
}

/** Attribute values up to this length are shared through a StringTable; longer ones (text, arrays) are rarely repeated. */
const SHARED_VALUE_LENGTH = 32;

class XmlReader {
  private readonly n: number;
  private readonly names: StringTable;
  private readonly values: StringTable;
  /** Path steps by name and number: `/Node`, `/Node[2]`, ... (index 0 unused). */
  private readonly steps = new Map<string, string[]>();
  /** Frames by nesting level; `frames[0, depth)` are the open elements. */
  private readonly frames: Open[] = [];
  private depth = 0;
  private root: Element | undefined;
  private elements = 0;
  /** What the lowering checks of the whole tree, noted element by element. */
  private readonly shape: ShapeNotes;
  // Line tracking, forward only: `nextNewline` is the first LF at or after `lineStart`.
  private line = 1;
  private lineStart = 0;
  private nextNewline: number;

  constructor(
    private readonly text: string,
    private readonly limits: DocumentLimits,
  ) {
    this.n = text.length;
    this.shape = new ShapeNotes(text);
    this.names = new StringTable(text, 1023);
    this.values = new StringTable(text, 4095);
    const nl = text.indexOf('\n');
    this.nextNewline = nl < 0 ? this.n : nl;
  }

  read(): XmlElement {
    const { text, n } = this;
    if (n > this.limits.maxBytes) this.tooLarge(`more than ${this.limits.maxBytes} characters`, this.limits.maxBytes);
    let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (i < n) {
      const lt = text.indexOf('<', i);
      const end = lt < 0 ? n : lt;
      if (end > i) this.characters(i, end);
      if (lt < 0) break;
      const c = text.charCodeAt(lt + 1);
      i =
        c === SLASH ? this.endTag(lt) : c === BANG ? this.markupDeclaration(lt) : c === QUESTION ? this.instruction(lt) : this.startTag(lt);
    }
    const open = this.top();
    if (open) throw syntaxError(text, open.start, `the element <${open.qname}> is not closed`);
    if (!this.root) throw syntaxError(text, n, 'the document has no root element');
    if (this.root.name !== 'PMML') throw new PfaSyntaxError('not-pmml', 'the document has no PMML root element', this.root.location);
    noteShape(this.root, this.shape);
    return this.root;
  }

  /** The innermost open element's frame, if any. */
  private top(): Open | undefined {
    return this.depth > 0 ? this.frames[this.depth - 1] : undefined;
  }

  private tooLarge(what: string, at: number): never {
    throw new PfaSyntaxError('too-large', `the document is too large: ${what}`, positionOf(this.text, at));
  }

  /** Line and column of `offset`, which is never before the last offset asked for. */
  private advanceTo(offset: number): void {
    const { text, n } = this;
    while (this.nextNewline < offset) {
      this.line++;
      this.lineStart = this.nextNewline + 1;
      const nl = text.indexOf('\n', this.lineStart);
      this.nextNewline = nl < 0 ? n : nl;
    }
  }

  /** A run of character data from `start` to `end` (the next `<` or the end of the text). */
  private characters(start: number, end: number): void {
    const { text } = this;
    if (end - start > this.limits.maxTextLength) this.tooLarge(`text longer than ${this.limits.maxTextLength} characters`, start);
    const top = this.top();
    if (top === undefined) {
      for (let k = start; k < end; k++)
        if (!isSpace(text.charCodeAt(k)))
          throw syntaxError(text, k, this.root ? 'text after the root element' : 'text before the root element');
      return;
    }
    // Short runs, mostly the indentation between elements, repeat: one string each, as short
    // attribute values are.
    let s = end - start <= SHARED_VALUE_LENGTH ? this.values.get(start, end) : text.slice(start, end);
    if (s.indexOf('\r') >= 0) s = normalizeLineEnds(s);
    if (s.indexOf('&') >= 0) s = decodeReferences(s, text, start);
    if (end - start > SHARED_VALUE_LENGTH) s = ownString(s);
    const el = top.element;
    el.text = el.text === '' ? s : el.text + s;
  }

  /** The end of the name starting at `start`; an error when no name starts there. */
  private nameEnd(start: number): number {
    const { text, n } = this;
    if (start >= n || !isNameStart(text.charCodeAt(start)))
      throw syntaxError(
        text,
        start,
        start >= n ? 'the document ends inside a tag' : `a name cannot start with ${JSON.stringify(text[start])}`,
      );
    let k = start + 1;
    while (k < n && isNameChar(text.charCodeAt(k))) k++;
    return k;
  }

  private skipSpace(k: number): number {
    const { text, n } = this;
    while (k < n && isSpace(text.charCodeAt(k))) k++;
    return k;
  }

  private startTag(lt: number): number {
    const { text, n, limits } = this;
    if (++this.elements > limits.maxElements) this.tooLarge(`more than ${limits.maxElements} elements`, lt);
    const parent = this.top();
    if (parent === undefined && this.root !== undefined) throw syntaxError(text, lt, 'a second root element');
    let j = this.nameEnd(lt + 1);
    const qname = this.names.get(lt + 1, j);
    const attrs: Record<string, string> = {};
    let selfClosing = false;
    for (;;) {
      const k = this.skipSpace(j);
      const c = text.charCodeAt(k);
      if (c === GT) {
        j = k + 1;
        break;
      }
      if (c === SLASH && text.charCodeAt(k + 1) === GT) {
        selfClosing = true;
        j = k + 2;
        break;
      }
      if (k >= n) throw syntaxError(text, lt, `the start tag <${qname}> is not closed`);
      if (k === j) throw syntaxError(text, k, `unexpected ${JSON.stringify(text[k])} in the start tag <${qname}>`);
      j = this.attribute(k, qname, attrs);
    }
    const local = localName(qname);
    const step = this.step(local, parent === undefined ? 1 : parent.siblingNumber(local));
    this.advanceTo(lt);
    const element = new Element(local, attrs, parent?.path, step, this.line, lt - this.lineStart + 1);
    if (parent === undefined) this.root = element;
    else parent.kids[parent.kidCount++] = element;
    const nodes = parent === undefined ? ROOT_NODES : nodesUnder(local, parent.nodes);
    const others = parent === undefined ? ROOT_OTHERS : othersUnder(local, parent.others);
    this.shape.element(element, nodes, others, parent?.element);
    if (!selfClosing) {
      if (this.depth >= limits.maxDepth)
        throw new PfaSyntaxError('too-deep', `the document is nested deeper than ${limits.maxDepth} levels`, positionOf(text, lt));
      const frame = (this.frames[this.depth] ??= new Open());
      frame.open(element, { up: parent?.path, step }, qname, lt, nodes, others);
      this.depth++;
    }
    return j;
  }

  /** The path step of the `k`-th child named `name`, made once per name and number. */
  private step(name: string, k: number): string {
    let known = this.steps.get(name);
    if (known === undefined) this.steps.set(name, (known = ['']));
    return (known[k] ??= k === 1 ? `/${name}` : `/${name}[${k}]`);
  }

  /** Reads the attribute at `start` into `attrs`; returns the offset after its closing quote. */
  private attribute(start: number, tag: string, attrs: Record<string, string>): number {
    const { text, limits } = this;
    const nameEnd = this.nameEnd(start);
    const qname = this.names.get(start, nameEnd);
    let q = this.skipSpace(nameEnd);
    if (text.charCodeAt(q) !== EQUALS) throw syntaxError(text, start, `the attribute ${qname} of <${tag}> has no value`);
    q = this.skipSpace(q + 1);
    const quote = text.charCodeAt(q);
    if (quote !== 0x22 && quote !== 0x27) throw syntaxError(text, q, `the value of the attribute ${qname} is not quoted`);
    // The closing quote first (indexOf is fast over long values), the length checked before the
    // value is looked at, then one loop notes what the value needs: references, spaces to normalise.
    const k = text.indexOf(quote === 0x22 ? '"' : "'", q + 1);
    if (k < 0) throw syntaxError(text, q, `the value of the attribute ${qname} is not closed`);
    if (k - q - 1 > limits.maxAttributeLength) this.tooLarge(`an attribute value longer than ${limits.maxAttributeLength} characters`, q);
    let refs = false;
    let spaces = false;
    for (let i = q + 1; i < k; i++) {
      const c = text.charCodeAt(i);
      if (c === LT) throw syntaxError(text, i, `'<' in the value of the attribute ${qname} (write &lt;)`);
      if (c === AMP) refs = true;
      else if (c === 0x0a || c === 0x09 || c === 0x0d) spaces = true;
    }
    // Namespace declarations are not attributes of the model (the prefixes are dropped from names).
    if (qname === 'xmlns' || qname.startsWith('xmlns:')) return k + 1;
    const shared = k - q - 1 <= SHARED_VALUE_LENGTH && k > q + 1;
    let value = shared ? this.values.get(q + 1, k) : text.slice(q + 1, k);
    if (spaces) value = normalizeAttributeSpace(value);
    if (refs) value = decodeReferences(value, text, q + 1);
    // A shared value is a string of its own already (StringTable).
    if (!shared || spaces || refs) value = ownString(value);
    const name = localName(qname);
    if (Object.hasOwn(attrs, name)) throw syntaxError(text, start, `the attribute ${name} of <${tag}> is repeated`);
    // Defined, not assigned: an attribute named __proto__ is an attribute like any other.
    if (name === '__proto__') Object.defineProperty(attrs, name, { value, enumerable: true, writable: true, configurable: true });
    else attrs[name] = value;
    return k + 1;
  }

  private endTag(lt: number): number {
    const { text } = this;
    const top = this.top();
    const nameEnd = this.nameEnd(lt + 2);
    const close = this.skipSpace(nameEnd);
    if (text.charCodeAt(close) !== GT) throw syntaxError(text, lt, `the end tag </${text.slice(lt + 2, nameEnd)}> is not closed`);
    if (top === undefined) throw syntaxError(text, lt, `the end tag </${text.slice(lt + 2, nameEnd)}> has no start tag`);
    if (nameEnd - lt - 2 !== top.qname.length || !text.startsWith(top.qname, lt + 2)) {
      const at = top.element.location;
      throw syntaxError(
        text,
        lt,
        `expected </${top.qname}> (the start tag is at line ${at.line}, column ${at.column}), found </${text.slice(lt + 2, nameEnd)}>`,
      );
    }
    top.close();
    this.depth--;
    return close + 1;
  }

  /** `<!`: a comment, a CDATA section; a DOCTYPE or entity declaration is refused. */
  private markupDeclaration(lt: number): number {
    const { text, limits } = this;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end < 0) throw syntaxError(text, lt, 'a comment is not closed');
      return end + 3;
    }
    if (text.startsWith('<![CDATA[', lt)) {
      const end = text.indexOf(']]>', lt + 9);
      if (end < 0) throw syntaxError(text, lt, 'a CDATA section is not closed');
      if (end - lt - 9 > limits.maxTextLength) this.tooLarge(`text longer than ${limits.maxTextLength} characters`, lt);
      const top = this.top();
      if (top === undefined) throw syntaxError(text, lt, 'a CDATA section outside the root element');
      const el = top.element;
      el.text += ownString(normalizeLineEnds(text.slice(lt + 9, end)));
      return end + 3;
    }
    const head = text.slice(lt, lt + 9).toUpperCase();
    if (head === '<!DOCTYPE' || head.startsWith('<!ENTITY')) {
      throw new PfaSyntaxError('xml-doctype', 'DOCTYPE and entity declarations are not allowed in PMML documents', positionOf(text, lt));
    }
    throw syntaxError(text, lt, "'<!' starts neither a comment nor a CDATA section");
  }

  /** `<?target ...?>`: skipped; the XML declaration only where XML allows it, at the very start. */
  private instruction(lt: number): number {
    const { text } = this;
    const end = text.indexOf('?>', lt + 2);
    if (end < 0) throw syntaxError(text, lt, 'a processing instruction is not closed');
    const targetEnd = this.nameEnd(lt + 2);
    if (targetEnd - lt - 2 === 3 && text.slice(lt + 2, targetEnd).toLowerCase() === 'xml') {
      if (lt > (text.charCodeAt(0) === 0xfeff ? 1 : 0))
        throw syntaxError(text, lt, 'the XML declaration is allowed only at the start of the document');
      if (!XML_DECLARATION.test(text.slice(lt, end + 2)))
        throw syntaxError(text, lt, 'the XML declaration is not <?xml version="1.x" encoding="..." standalone="yes|no"?>');
    }
    return end + 2;
  }
}

/** Reads PMML text into its element tree (xml.ts parseXml, which resolves the limits). */
export function readXml(text: string, limits: DocumentLimits): XmlElement {
  return new XmlReader(text, limits).read();
}
