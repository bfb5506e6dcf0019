/**
 * JPMML writes PMML 4.4 features into documents of earlier versions with the extension prefix
 * `x-`: the attribute `x-missingPredictionTreatment`, the method `multipleModelMethod=
 * "x-weightedMedian"`, the function `<Apply function="x-expm1">`. Before lowering, those spellings
 * are read as the 4.4 names, so every family sees one vocabulary. Only names PMML 4.4 defines and
 * the lowering knows are rewritten: any other `x-` name keeps its prefix and meets the usual
 * "unsupported" error. The walk is iterative: the tree can be as deep as the XML parser allows.
 */
import type { XmlElement } from '../xml.js';

/** Attributes PMML 4.4 added, which JPMML writes as `x-<name>` into 4.3 documents. */
const ATTRIBUTES = new Set(['missingPredictionTreatment', 'missingThreshold']);

/** Attribute values PMML 4.4 added, per attribute. */
const VALUES: ReadonlyMap<string, ReadonlySet<string>> = new Map([['multipleModelMethod', new Set(['weightedMedian', 'weightedSum'])]]);

/** Elements PMML 4.4 added that the lowering reads. */
const ELEMENTS = new Set(['AnomalyDetectionModel', 'MissingValueWeights']);

/** The 4.4 name of an `x-` name from `known`, or undefined. */
function unprefixed(name: string, known: (n: string) => boolean): string | undefined {
  if (!/^x-/i.test(name)) return undefined;
  const rest = name.slice(2);
  return known(rest) ? rest : undefined;
}

/** An `x-` or `X-` at the start of a name: the first test of every name, without a regular expression. */
function hasPrefix(name: string): boolean {
  return (name.charCodeAt(0) | 0x20) === 0x78 && name.charCodeAt(1) === 0x2d;
}

/**
 * Whether `el` itself could be rewritten: an attribute, a rewritable value or the element's own name
 * starts with `x-`. Most documents have no such name anywhere, and an element that has none is kept
 * as it is rather than copied (a 3 MB forest has ~100,000 elements and not one `x-` name).
 */
export function hasExtensionName(el: XmlElement): boolean {
  if (hasPrefix(el.name)) return true;
  const attrs = el.attrs;
  for (const k in attrs) if (hasPrefix(k)) return true;
  for (const k of VALUES.keys()) if (Object.hasOwn(attrs, k) && hasPrefix(attrs[k]!)) return true;
  return el.name === 'Apply' && Object.hasOwn(attrs, 'function') && hasPrefix(attrs.function!);
}

/**
 * Whether some element of the XML `text` may have a name that hasExtensionName finds, told from the
 * text alone, natively: every such name (an element's or an attribute's, after a `<`, a namespace
 * prefix's colon or whitespace; a value, after its quote or a space) has an `x-` or `X-` there,
 * unless a character reference spells it, and the reader expands no other entity. False means none
 * has; true only that one may (the elements are then asked one by one).
 */
export function mayHaveExtensionName(text: string): boolean {
  return text.includes('&#') || /[<:"'\s][xX]-/.test(text);
}

/**
 * The document with JPMML's `x-` spellings of PMML 4.4 names read as those names. `isFunction`
 * tells which Apply functions the lowering knows; a DefineFunction of the document named `x-...`
 * keeps its name. Only the elements that change, and the elements above them, are new objects:
 * every other element is the one that came in (normalizeEverywhere, which copies all, is the
 * baseline a spec compares this with).
 */
export function normalizeExtensions(root: XmlElement, isFunction: (name: string) => boolean): XmlElement {
  if (!anyMayChange(root)) return root;
  const { order, defined } = preOrder(root);
  const rebuilt = new Map<XmlElement, XmlElement>();
  for (let i = order.length - 1; i >= 0; i--) {
    const el = order[i]!;
    let children: XmlElement[] | undefined;
    const kids = el.children;
    for (let j = 0; j < kids.length; j++) {
      const c = rebuilt.get(kids[j]!);
      if (c === undefined) continue;
      children ??= kids.slice();
      children[j] = c;
    }
    const own = hasExtensionName(el) ? rewritten(el, defined, isFunction) : undefined;
    // The location is named: the reader's elements make it when asked (a getter, which a spread does not copy).
    if (own || children) rebuilt.set(el, { ...el, location: el.location, ...own, children: children ?? el.children });
  }
  return rebuilt.get(root) ?? root;
}

/** normalizeExtensions as a copy of every element: the plain reading that the specs compare with. */
export function normalizeEverywhere(root: XmlElement, isFunction: (name: string) => boolean): XmlElement {
  const { order, defined } = preOrder(root);
  const rebuilt = new Map<XmlElement, XmlElement>();
  for (let i = order.length - 1; i >= 0; i--) {
    const el = order[i]!;
    const own = rewritten(el, defined, isFunction);
    const attrs = { ...(own?.attrs ?? el.attrs) };
    rebuilt.set(el, { ...el, location: el.location, ...own, attrs, children: el.children.map((c) => rebuilt.get(c)!) });
  }
  return rebuilt.get(root)!;
}

/** Whether any element may change: most documents have no `x-` name, and are then neither listed nor rebuilt. */
function anyMayChange(root: XmlElement): boolean {
  const stack: XmlElement[] = [root];
  while (stack.length) {
    const el = stack.pop()!;
    if (hasExtensionName(el)) return true;
    for (const c of el.children) stack.push(c);
  }
  return false;
}

/** Elements in pre-order (iterative: no recursion over the document's depth), and the names of its DefineFunctions. */
function preOrder(root: XmlElement): { order: XmlElement[]; defined: Set<string> } {
  const order: XmlElement[] = [];
  const stack: XmlElement[] = [root];
  const defined = new Set<string>();
  while (stack.length) {
    const el = stack.pop()!;
    order.push(el);
    if (el.name === 'DefineFunction' && el.attrs.name !== undefined) defined.add(el.attrs.name);
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]!);
  }
  return { order, defined };
}

/** The element's own name and attributes with the `x-` names read, or undefined when nothing changes. */
function rewritten(
  el: XmlElement,
  defined: ReadonlySet<string>,
  isFunction: (name: string) => boolean,
): { name: string; attrs: Record<string, string> } | undefined {
  let changed = false;
  const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(el.attrs)) {
    const name = unprefixed(k, (n) => ATTRIBUTES.has(n));
    if (name !== undefined && !Object.hasOwn(el.attrs, name)) {
      attrs[name] = v;
      changed = true;
    } else if (!Object.hasOwn(attrs, k)) attrs[k] = v;
  }
  for (const [k, known] of VALUES) {
    const v = Object.hasOwn(attrs, k) ? unprefixed(attrs[k]!, (n) => known.has(n)) : undefined;
    if (v !== undefined) {
      attrs[k] = v;
      changed = true;
    }
  }
  if (el.name === 'Apply' && Object.hasOwn(attrs, 'function') && !defined.has(attrs.function!)) {
    const f = unprefixed(attrs.function!, isFunction);
    if (f !== undefined) {
      attrs.function = f;
      changed = true;
    }
  }
  const name = unprefixed(el.name, (n) => ELEMENTS.has(n)) ?? el.name;
  if (name !== el.name) changed = true;
  return changed ? { name, attrs: { ...attrs } } : undefined;
}
