/**
 * A whole PMML document lowered to one PFA document: the input record is the DataDictionary (every
 * field nullable; a transactional model's items an array), the action binds the inputs, computes the TransformationDictionary, runs the
 * model, and returns a record of the model's results (its target and its final output fields).
 */
import { setField } from '../../avro/values.js';
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { shapeOf } from '../xml-shape.js';
import { isDateType } from './dates.js';
import { LowerContext, RESULT_TYPE, append, Scope, sanitize, type ValueType } from './context.js';
import type { Pfa } from './builder.js';
import { bindInputs, dataDictionary, itemFields, transformations, type DataField } from './fields.js';
import { MODEL_ELEMENTS, type LoweredModel, type ModelEnv } from './family.js';
import { lowerModel } from './model.js';
import { predicted } from './output.js';
import { normalizeExtensions } from './extensions.js';
import { addsBaseScoreLast } from './float.js';
import { isKnownFunction } from './functions.js';
import type { Problems } from '../../problems.js';

/** A result field of the lowered document: its PMML name and its name in the output record. */
export interface ResultField {
  readonly name: string;
  readonly outputName: string;
  readonly type: ValueType;
  readonly dataType: string;
  readonly kind: 'target' | 'output';
}

export interface LoweredDocument {
  readonly pfa: Record<string, unknown>;
  /**
   * The JSON text `pfa` was parsed from, before its named types were defined at their first use:
   * `documentOfText` makes that document of it again. A model keeps this text (model.ts), which
   * costs no second JSON.stringify of the document (10 ms of a 3 MB forest's first load).
   */
  readonly text: string;
  /**
   * The document as the lowering built it, before `pfa` was copied from it: the same shape, made
   * of the objects whose PMML origins builder.ts records, so a JSON pointer into `pfa` can be
   * walked here back to an element (`originAt`).
   */
  readonly built: unknown;
  /** The fields a caller gives: the DataDictionary without the targets the model predicts. */
  readonly inputs: readonly DataField[];
  /** Every DataDictionary name, inputs and targets. */
  readonly dictionary: readonly string[];
  readonly results: readonly ResultField[];
  readonly model: LoweredModel;
}

/** Limits of the lowering, for untrusted documents. */
export interface LoweringOptions {
  /**
   * Deepest TreeModel Node nesting accepted (default DEFAULT_MAX_TREE_DEPTH). A tree lowers to
   * nested conditionals that the PFA checker and compiler walk recursively; a deeper tree is a
   * `pmml-too-deep` error at its Node.
   */
  readonly maxTreeDepth?: number;
  /**
   * Most Segments a document may hold, in all its Segmentations (default DEFAULT_MAX_SEGMENTS).
   * Loading takes time in proportion (about 1 s per 1,000 one-node trees); more is a
   * `pmml-too-large` error at the Segmentation that passes the limit.
   */
  readonly maxSegments?: number;
}

/** Default of LoweringOptions.maxSegments: big ensembles load, in about a minute at most. */
export const DEFAULT_MAX_SEGMENTS = 50_000;

/** With `problems`, every independent problem is recorded there (`check`) and no document comes back from a failed lowering. */
export function lowerDocument(document: XmlElement, name: string, options: LoweringOptions = {}, problems?: Problems): LoweredDocument {
  const ctx = new LowerContext(options.maxTreeDepth, problems);
  const extended = checkNesting(document, ctx, options.maxSegments ?? DEFAULT_MAX_SEGMENTS);
  const pmml = extended ? normalizeExtensions(document, isKnownFunction) : document;
  ctx.producer = { baseScoreLast: addsBaseScoreLast(pmml) };
  const scope = new Scope();
  const modelEl =
    pmml.children.find((c) => MODEL_ELEMENTS.has(c.name) && c.attrs.isScorable !== 'false') ??
    ctx.fail(pmml, 'pmml-no-model', 'the document has no scorable model');
  const all = dataDictionary(pmml, ctx, itemFields(modelEl));
  const targetsOnly = predictedOnly(pmml, modelEl);
  const inputs = all.filter((f) => !targetsOnly.has(f.name));
  const dictionary = new Map(all.map((f) => [f.name, f]));
  const action: Pfa[] = [
    ...bindInputs(inputs, ctx, scope),
    ...bindPredicted(
      all.filter((f) => targetsOnly.has(f.name)),
      scope,
    ),
    ...transformations(child(pmml, 'TransformationDictionary'), ctx, scope),
  ];

  const env: ModelEnv = { dictionary, lower: (el, s) => lowerModel(el, ctx, s, env) };
  const model = ctx.attempt(
    modelEl,
    () => lowerModel(modelEl, ctx, scope, env),
    () => ctx.stop(),
  );
  // What is left joins the parts into one document, which is of no use once a part failed.
  if (problems?.list.length) ctx.stop();
  append(action, model.statements);

  const results: ResultField[] = [];
  const used = new Set<string>();
  const outputName = (n: string): string => {
    let s = sanitize(n);
    while (used.has(s)) s = `${s}_`;
    used.add(s);
    return s;
  };
  // Fields set with setField: a result may be named __proto__.
  const fields: Record<string, Pfa> = {};
  const types: { name: string; type: unknown }[] = [];
  const perTarget = ctx.familyOutputs.get(model.element)?.targets;
  if (model.target) {
    const t = model.target;
    const data = dictionary.get(t.name);
    const out = outputName(t.name);
    results.push({ name: t.name, outputName: out, type: t.type, dataType: data?.dataType ?? t.type, kind: 'target' });
    setField(fields, out, perTarget?.get(t.name)?.value ?? predicted(model.result, model.functionName, t.type, ctx));
    types.push({ name: out, type: ['null', t.type] });
  }
  // A model that predicts several targets (NearestNeighborModel) gives each its own column.
  for (const [name, t] of perTarget ?? []) {
    if (name === model.target?.name) continue;
    const out = outputName(name);
    results.push({ name, outputName: out, type: t.type, dataType: dictionary.get(name)?.dataType ?? t.type, kind: 'target' });
    setField(fields, out, t.value);
    types.push({ name: out, type: ['null', t.type] });
  }
  for (const o of model.outputs) {
    if (!o.final || o.field.name === model.target?.name || perTarget?.has(o.field.name)) continue;
    const out = outputName(o.field.name);
    results.push({ name: o.field.name, outputName: out, type: o.field.type, dataType: o.field.dataType, kind: 'output' });
    setField(fields, out, o.field.symbol);
    types.push({ name: out, type: ['null', o.field.type] });
  }
  const outputType = { type: 'record', name: 'Results', fields: types };
  action.push({ new: fields, type: 'Results' });

  const built = {
    name: sanitize(name),
    input: {
      type: 'record',
      name: 'Inputs',
      fields: inputs.map((f) => ({ name: f.inputName, type: ['null', f.multiple ? { type: 'array', items: f.type } : f.type] })),
    },
    output: outputType,
    ...(Object.keys(ctx.cells).length ? { cells: ctx.cells } : {}),
    ...(Object.keys(ctx.pools).length ? { pools: ctx.pools } : {}),
    ...(Object.keys(ctx.fcns).length ? { fcns: ctx.fcns } : {}),
    action,
    metadata: { 'pmml.model': modelEl.name, 'pmml.functionName': model.functionName },
  };
  // A copy through JSON (the form convert writes), so forms the lowering shares (NULL_RESULT, ...)
  // become separate objects that defineAtFirstUse can change one at a time.
  // JSON has no number for a non-finite one (it would be written as null): the lowering writes those
  // as expressions (lit.double), and one that is not is a lowering error, not a silent null.
  const finite = (_key: string, v: unknown): unknown =>
    typeof v === 'number' && !Number.isFinite(v) ? ctx.fail(modelEl, 'pmml-lowering', `the lowered document holds the number ${v}`) : v;
  const text = JSON.stringify(built, finite);
  return { pfa: documentOfText(text), text, built, inputs, dictionary: all.map((f) => f.name), results, model };
}

/** The lowered document of a LoweredDocument's `text`: a new copy at each call. */
export function documentOfText(text: string): Record<string, unknown> {
  const pfa = JSON.parse(text) as Record<string, unknown>;
  defineAtFirstUse(pfa, RESULT_TYPE);
  return pfa;
}

/**
 * Nesting is bounded before lowering starts, as lowering and the PFA checker and compiler recurse
 * over it: trees get maxTreeDepth levels of Nodes, and everything else (segments within segments,
 * expressions within expressions) NESTING_ALLOWANCE levels of elements. The tree's shape
 * (xml-shape.ts: noted by the XML reader, or found by an iterative walk) also tells whether any
 * element has an `x-` name for normalizeExtensions to read: most documents have none.
 */
const NESTING_ALLOWANCE = 100;

function checkNesting(root: XmlElement, ctx: LowerContext, maxSegments: number): boolean {
  const shape = shapeOf(root);
  let segments = 0;
  for (const s of shape.segmentations) {
    segments += s.segments;
    if (segments > maxSegments)
      ctx.fail(s.element, 'pmml-too-large', `the document has more than ${maxSegments} Segments (the maxSegments load option)`);
  }
  if (shape.nodeDepth > ctx.maxTreeDepth)
    ctx.fail(shape.deepestNode!, 'pmml-too-deep', `Nodes are nested deeper than ${ctx.maxTreeDepth} (the maxTreeDepth load option)`);
  if (shape.otherDepth > NESTING_ALLOWANCE)
    ctx.fail(
      shape.deepestOther!,
      'pmml-too-deep',
      `elements are nested deeper than ${NESTING_ALLOWANCE} levels outside the Nodes of trees`,
    );
  return shape.extended;
}

/**
 * The DataFields that are the model's targets and nothing else: named target or predicted by the
 * model's MiningSchema, active in no MiningSchema of the document, and not read by a `residual`
 * OutputField (which compares the prediction with the caller's actual value). They are not inputs.
 */
function predictedOnly(pmml: XmlElement, modelEl: XmlElement): ReadonlySet<string> {
  const schema = child(modelEl, 'MiningSchema');
  const targets = new Set(
    (schema ? childrenNamed(schema, 'MiningField') : [])
      .filter((m) => m.attrs.usageType === 'target' || m.attrs.usageType === 'predicted')
      .map((m) => m.attrs.name ?? ''),
  );
  if (targets.size === 0) return targets;
  // Iterative: a document can nest deeply (trees), and only MiningSchemas and Outputs matter here.
  const stack: XmlElement[] = [pmml];
  while (stack.length) {
    const el = stack.pop()!;
    if (el.name === 'MiningField' && (el.attrs.usageType ?? 'active') === 'active') targets.delete(el.attrs.name ?? '');
    if (el.name === 'OutputField' && el.attrs.feature === 'residual') return new Set();
    if (el.name !== 'Node' && el.name !== 'InlineTable') for (const c of el.children) stack.push(c);
  }
  return targets;
}

/** A target that is not an input is bound as missing, for any expression that still names it. */
function bindPredicted(fields: readonly DataField[], scope: Scope): Pfa[] {
  return fields.map((f) => {
    const type = isDateType(f.dataType) ? 'double' : f.type;
    scope.define({ ...f, type });
    return { let: { [f.symbol]: { type: ['null', type], value: null } } };
  });
}

/**
 * Lowering refers to a named type by name everywhere; Avro wants it defined once, so the first
 * reference in document order (a `type` member) is replaced by the definition. The initial values
 * of cells and pools are data, where a member named `type` is no reference: they are not searched
 * (they are most of a forest's document: walking them took ~18 ms of a 3 MB forest's load).
 */
export function defineAtFirstUse(doc: Record<string, unknown>, schema: { name: string }): void {
  const typesOf = (stores: unknown): unknown[] => Object.values((stores ?? {}) as Record<string, { type: unknown }>).map((s) => s.type);
  // Depth-first in document order, with an explicit stack: the action can nest deeply.
  for (const part of [doc.input, doc.output, typesOf(doc.cells), typesOf(doc.pools), doc.fcns, doc.action]) {
    const stack: unknown[] = [part];
    while (stack.length) {
      const x = stack.pop();
      if (typeof x !== 'object' || x === null) continue;
      if (Array.isArray(x)) {
        for (let i = x.length - 1; i >= 0; i--) stack.push(x[i]);
        continue;
      }
      const o = x as Record<string, unknown>;
      if (o.type === schema.name) {
        o.type = schema;
        return;
      }
      const values = Object.values(o);
      for (let i = values.length - 1; i >= 0; i--) stack.push(values[i]);
    }
  }
}
