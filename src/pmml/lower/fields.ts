/**
 * Fields: the DataDictionary (the input record), the TransformationDictionary and
 * LocalTransformations (derived fields, computed in document order), and a model's MiningSchema
 * (missing-value replacement, invalid-value treatment, outliers), all as PFA `let` statements.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, type Scope, lit, parseNumber, sanitize, valueType, type FieldInfo, type OpType } from './context.js';
import { input, origin, origins, type Pfa, type Ref } from './builder.js';
import { intervalTest, lowerExpression } from './expression.js';
import { convertToDataType, defineFunctions } from './functions.js';
import { constant, convertValue, expressionChild } from './lowered.js';
import { dateType, fieldNumber, parseDateValue } from './dates.js';
import { floatConstant, floatValue } from './float.js';

/**
 * A DataDictionary field. Its `type` is the input record's: a date or time field is given as text
 * there (dates.ts), and the scope holds its parsed value, a double.
 */
export interface DataField extends FieldInfo {
  /** The input record's field name (the PMML name made a valid Avro name, made unique). */
  readonly inputName: string;
  readonly invalidValues: readonly string[];
  readonly missingValues: readonly string[];
  readonly intervals: readonly XmlElement[];
  readonly element: XmlElement;
  /** The items of a transactional model: the input is an array of values of `type` (see itemFields). */
  readonly multiple?: boolean;
}

function optype(el: XmlElement, fallback: OpType): OpType {
  const o = el.attrs.optype;
  return o === 'continuous' || o === 'categorical' || o === 'ordinal' ? o : fallback;
}

/**
 * The fields whose input is a list of values: the active fields of a model whose MiningSchema has a
 * group field (transactional input, one record per group, such as the items of a basket).
 */
export function itemFields(model: XmlElement): ReadonlySet<string> {
  const schema = child(model, 'MiningSchema');
  const fields = schema ? childrenNamed(schema, 'MiningField') : [];
  if (!fields.some((f) => f.attrs.usageType === 'group')) return new Set();
  return new Set(fields.filter((f) => (f.attrs.usageType ?? 'active') === 'active').map((f) => f.attrs.name ?? ''));
}

/** Reads the DataDictionary. Input names are unique valid Avro names derived from the PMML names. */
export function dataDictionary(pmml: XmlElement, ctx: LowerContext, multiple: ReadonlySet<string> = new Set()): DataField[] {
  const dict = child(pmml, 'DataDictionary') ?? ctx.fail(pmml, 'pmml-invalid', 'the document has no DataDictionary');
  const taken = new Set<string>();
  // Each field on its own: one that fails is left out, and what reads it is no new problem.
  return childrenNamed(dict, 'DataField').flatMap((el) =>
    ctx.attempt(
      el,
      () => [dataField(el, ctx, taken, multiple)],
      () => (ctx.brokenField(el.attrs.name), []),
    ),
  );
}

function dataField(el: XmlElement, ctx: LowerContext, taken: Set<string>, multiple: ReadonlySet<string>): DataField {
  const name = ctx.attr(el, 'name');
  let inputName = sanitize(name);
  while (taken.has(inputName)) inputName = `${inputName}_`;
  taken.add(inputName);
  const dataType = el.attrs.dataType ?? 'string';
  const date = dateType(dataType) !== undefined;
  const type = date ? 'string' : valueType(dataType);
  const values = childrenNamed(el, 'Value');
  const byProperty = (p: string) => values.filter((v) => (v.attrs.property ?? 'valid') === p).map((v) => ctx.attr(v, 'value'));
  const valid = byProperty('valid');
  return {
    name,
    inputName,
    symbol: ctx.symbol(name),
    type,
    dataType,
    optype: optype(el, type === 'double' || date ? 'continuous' : 'categorical'),
    ...(valid.length ? { values: valid } : {}),
    invalidValues: byProperty('invalid'),
    missingValues: byProperty('missing'),
    intervals: childrenNamed(el, 'Interval'),
    element: el,
    ...(multiple.has(name) ? { multiple: true } : {}),
  };
}

/** Binds every data field from the input record: `let x = input.x`, declared missing values as null. */
export function bindInputs(fields: readonly DataField[], ctx: LowerContext, scope: Scope): Pfa[] {
  return fields.flatMap((f) => {
    const date = f.multiple ? undefined : dateType(f.dataType);
    if (date) {
      // Declared missing values are matched against the text, before it is parsed.
      const text = ctx.symbol(`${f.name}_text`);
      const [raw] = bindInput({ ...f, symbol: text }, ctx);
      const t = ctx.symbol('t');
      scope.define({ ...f, type: 'double' });
      return origins(f.element, [
        raw!,
        {
          let: {
            [f.symbol]: {
              ifnotnull: { [t]: text },
              then: { upcast: parseDateValue(ctx, date, t), as: ['null', 'double'] },
              else: lit.missing('double'),
            },
          },
        },
      ]);
    }
    scope.define(f);
    return origins(f.element, bindInput(f, ctx));
  });
}

/** `let x = input.x` (with declared missing values as null): the value as the input record has it. */
function bindInput(f: DataField, ctx: LowerContext): Pfa[] {
  const read = f.dataType === 'float' && !f.multiple ? floatValue(input(f.inputName), ctx) : input(f.inputName);
  if (f.missingValues.length === 0 || f.multiple) return [{ let: { [f.symbol]: read } }];
  const v = ctx.symbol('v');
  const isMissing = f.missingValues.map((m): Pfa => ({ '==': [v, unwrapConstant(ctx, f, m)] })).reduce((a, b) => ({ '||': [a, b] }));
  return [
    {
      let: {
        [f.symbol]: {
          ifnotnull: { [v]: read },
          then: { if: isMissing, then: lit.missing(f.type), else: { upcast: v, as: ['null', f.type] } },
          else: lit.missing(f.type),
        },
      },
    },
  ];
}

function unwrapConstant(ctx: LowerContext, f: FieldInfo, text: string): Pfa {
  if (f.type === 'string') return lit.string(text);
  if (f.type === 'boolean') return ctx.boolean((f as DataField).element, text);
  return lit.double(
    floatConstant(
      parseNumber(text) ?? ctx.fail((f as DataField).element, 'pmml-bad-value', `not a number: ${text}`),
      f.dataType === 'float',
    ),
  );
}

/** DerivedFields (and DefineFunctions) of a TransformationDictionary or LocalTransformations. */
export function transformations(el: XmlElement | undefined, ctx: LowerContext, scope: Scope): Pfa[] {
  if (!el) return [];
  defineFunctions(childrenNamed(el, 'DefineFunction'), ctx);
  return childrenNamed(el, 'DerivedField').flatMap((d) =>
    ctx.attempt(
      d,
      () => [derivedField(d, ctx, scope)],
      () => (ctx.brokenField(d.attrs.name), []),
    ),
  );
}

function derivedField(d: XmlElement, ctx: LowerContext, scope: Scope): Pfa {
  const name = ctx.attr(d, 'name');
  const expr = expressionChild(d) ?? ctx.fail(d, 'pmml-invalid', `DerivedField ${name} has no expression`);
  const low = lowerExpression(expr, ctx, scope);
  const type = d.attrs.dataType ? valueType(d.attrs.dataType) : low.type;
  const symbol = ctx.symbol(name);
  // Without a dataType, a date or time value keeps its type.
  const dataType = d.attrs.dataType ?? low.dataType ?? type;
  scope.define({ name, symbol, type, dataType, optype: optype(d, type === 'double' ? 'continuous' : 'categorical') });
  const value = d.attrs.dataType ? convertToDataType(low, d.attrs.dataType, ctx, d) : convertValue(low, type, ctx);
  return origin(d, { let: { [symbol]: d.attrs.dataType === 'float' ? floatValue(value, ctx) : value } });
}

/**
 * A model's MiningSchema: new bindings for its active fields with the treatments applied. Fields
 * the schema does not mention keep their binding.
 */
export function miningSchema(model: XmlElement, ctx: LowerContext, scope: Scope, dictionary: ReadonlyMap<string, DataField>): Pfa[] {
  const schema = child(model, 'MiningSchema') ?? ctx.fail(model, 'pmml-invalid', `${model.name} has no MiningSchema`);
  const out: Pfa[] = [];
  for (const mf of childrenNamed(schema, 'MiningField')) {
    const usage = mf.attrs.usageType ?? 'active';
    if (usage !== 'active' && usage !== 'group' && usage !== 'order') continue;
    ctx.attempt(
      mf,
      () => miningField(mf, ctx, scope, dictionary, out),
      () => ctx.brokenField(mf.attrs.name),
    );
  }
  return out;
}

/** One active field of a MiningSchema: its binding with the treatments applied, added to `out` if there are any. */
function miningField(mf: XmlElement, ctx: LowerContext, scope: Scope, dictionary: ReadonlyMap<string, DataField>, out: Pfa[]): void {
  const name = ctx.attr(mf, 'name');
  const field = ctx.field(mf, scope, name);
  const data = dictionary.get(name);
  // A list of items is read as a whole by its model (AssociationModel): no per-value treatment.
  if (data?.multiple) return;
  let symbol: Ref | undefined;
  const steps = treatments(mf, field, data, ctx, () => (symbol = ctx.symbol(name)));
  if (!steps || !symbol) return;
  scope.define({ ...field, symbol });
  out.push(origin(mf, { let: { [symbol]: steps } }));
}

/**
 * Symbols whose present values are known to pass their DataField's validity test (per lowering):
 * an enclosing model's MiningSchema refused them (returnInvalid) or made them missing (asMissing).
 * A segment reading such a symbol needs no test of its own, which in a boosted ensemble is one
 * list search per categorical field per segment per record.
 */
const checkedSymbols = new WeakMap<LowerContext, Map<string, DataField>>();

function checkedOf(ctx: LowerContext): Map<string, DataField> {
  let m = checkedSymbols.get(ctx);
  if (!m) checkedSymbols.set(ctx, (m = new Map()));
  return m;
}

/**
 * Whether a constant written as `text` passes `data`'s validity test, decided without running it:
 * only a string in the declared values (and not declared invalid) is; anything else is "unknown",
 * so the value keeps being tested where it is read.
 */
function knownValid(data: DataField, text: string | undefined): boolean {
  if (text === undefined) return true;
  return data.type === 'string' && data.optype !== 'continuous' && (data.values ?? []).includes(text) && !data.invalidValues.includes(text);
}

/** The treated value of one active field, or undefined when nothing needs doing. */
function treatments(
  mf: XmlElement,
  field: FieldInfo,
  data: DataField | undefined,
  ctx: LowerContext,
  symbol: () => string,
): Pfa | undefined {
  const invalid = mf.attrs.invalidValueTreatment ?? 'returnInvalid';
  const replacement = mf.attrs.missingValueReplacement;
  const outliers = mf.attrs.outliers ?? 'asIs';
  const v = ctx.symbol('v');
  // An enclosing model already tested this very value against the same DataField.
  const checked = data !== undefined && checkedOf(ctx).get(field.symbol) === data;
  const isValid = data && !checked ? validity(data, v, ctx) : undefined;
  const some = (x: Pfa): Pfa => ({ upcast: x, as: ['null', field.type] });
  let present: Pfa = some(v);
  if (outliers !== 'asIs' && field.type === 'double') {
    const low = ctx.number(mf, 'lowValue');
    const high = ctx.number(mf, 'highValue');
    present =
      outliers === 'asMissingValues'
        ? { if: { '||': [{ '<': [v, low] }, { '>': [v, high] }] }, then: lit.missing('double'), else: some(v) }
        : some({
            cond: [
              { if: { '<': [v, low] }, then: low },
              { if: { '>': [v, high] }, then: high },
            ],
            else: v,
          });
  }
  if (isValid !== undefined && invalid !== 'asIs') {
    const onInvalid =
      invalid === 'asMissing'
        ? lit.missing(field.type)
        : invalid === 'asValue'
          ? constant(ctx, mf, ctx.attr(mf, 'invalidValueReplacement'), field.type, field.dataType)
          : { error: `invalid value of field ${field.name}`, code: 1 };
    present = { if: isValid, then: present, else: onInvalid };
  }
  const missing = replacement !== undefined ? constant(ctx, mf, replacement, field.type, field.dataType) : lit.missing(field.type);
  if (present === undefined || (replacement === undefined && isValid === undefined && outliers === 'asIs')) return undefined;
  const out = symbol();
  // Present values of the new binding are valid when every way to one is: the value tested (or
  // tested before), not moved by an outlier treatment, and any constant put in its place valid.
  const tested =
    checked ||
    (isValid !== undefined &&
      (invalid === 'returnInvalid' ||
        invalid === 'asMissing' ||
        (invalid === 'asValue' && knownValid(data!, mf.attrs.invalidValueReplacement))));
  if (data && tested && (outliers === 'asIs' || field.type !== 'double') && knownValid(data, replacement)) checkedOf(ctx).set(out, data);
  return { ifnotnull: { [v]: field.symbol }, then: present, else: missing };
}

/** Whether a present value `v` is valid for its DataField: declared values, invalid values, intervals. */
function validity(data: DataField, v: Ref, ctx: LowerContext): Pfa | undefined {
  const tests: Pfa[] = [];
  // A date or time value is a number by now (the dates.ts number of its text).
  const type = dateType(data.dataType) ? 'double' : data.type;
  const value = (x: string): unknown =>
    type === 'double'
      ? (fieldNumber(x, data.dataType) ?? ctx.fail(data.element, 'pmml-bad-value', `not a ${data.dataType} value: ${JSON.stringify(x)}`))
      : type === 'boolean'
        ? ctx.boolean(data.element, x)
        : x;
  if (data.optype !== 'continuous' && data.values && data.values.length) {
    tests.push({ 'a.contains': [{ type: { type: 'array', items: type }, value: data.values.map(value) }, v] });
  }
  if (data.invalidValues.length) {
    tests.push({ '!': [{ 'a.contains': [{ type: { type: 'array', items: type }, value: data.invalidValues.map(value) }, v] }] });
  }
  if (type === 'double' && data.optype === 'continuous' && data.intervals.length) {
    tests.push(data.intervals.map((i) => intervalTest(ctx, i, v)).reduce((a, b) => ({ '||': [a, b] })));
  }
  if (tests.length === 0) return undefined;
  return tests.reduce((a, b) => ({ '&&': [a, b] }));
}
