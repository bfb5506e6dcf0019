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

/**
 * The document with JPMML's `x-` spellings of PMML 4.4 names read as those names. `isFunction`
 * tells which Apply functions the lowering knows; a DefineFunction of the document named `x-...`
 * keeps its name.
 */
export function normalizeExtensions(root: XmlElement, isFunction: (name: string) => boolean): XmlElement {
  // Pre-order list, then rebuilt from the leaves up: no recursion over the document's depth.
  const order: XmlElement[] = [];
  const stack: XmlElement[] = [root];
  const defined = new Set<string>();
  while (stack.length) {
    const el = stack.pop()!;
    order.push(el);
    if (el.name === 'DefineFunction' && el.attrs.name !== undefined) defined.add(el.attrs.name);
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]!);
  }
  const rebuilt = new Map<XmlElement, XmlElement>();
  for (let i = order.length - 1; i >= 0; i--) {
    const el = order[i]!;
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
    const children = el.children.map((c) => rebuilt.get(c)!);
    if (children.some((c, j) => c !== el.children[j])) changed = true;
    rebuilt.set(el, changed ? { ...el, name, attrs: { ...attrs }, children } : el);
    for (const c of el.children) rebuilt.delete(c);
  }
  return rebuilt.get(root)!;
}
