/**
 * The records a PMML model exchanges with its lowered PFA document: the caller's record (keyed by
 * PMML field names, values as JSON or CSV give them) to the document's input record (its Avro
 * names, values converted to the field types), and the document's output record back to a result
 * keyed by PMML names.
 *
 * Each has two forms that give the same records and the same errors (spec/pmml/field-records.spec.ts):
 * a plain loop over the fields, and a function generated once per model that builds the record as
 * one object literal, each field's conversion its own bound function. The generated one is what
 * scoring uses: the loop's generic conversion and property writes by name took about a tenth of
 * scoring a 71-tree ensemble.
 */
import { setField } from '../avro/values.js';
import { code, compileKernel, objectLiteral, property, Scope, type Code } from '../codegen/index.js';
import { PfaRuntimeError } from '../errors.js';
import { parseBoolean, parseNumber, type ValueType } from './lower/context.js';

/** A field of the lowered document's input record and the PMML field it is read from. */
export interface InputField {
  readonly name: string;
  readonly inputName: string;
  readonly type: ValueType;
  /** A transactional field: an array of values. */
  readonly multiple?: boolean;
}

/** A field of the lowered document's output record and the PMML result field it gives. */
export interface ResultName {
  readonly name: string;
  readonly outputName: string;
}

export type RecordBuilder = (record: unknown) => Record<string, unknown>;

/** The input record, field by field in a loop: the baseline of `inputRecordBuilder`. */
export function plainInputRecord(inputs: readonly InputField[]): RecordBuilder {
  return (record) => {
    const rec = (record ?? {}) as Record<string, unknown>;
    const input: Record<string, unknown> = {};
    for (const f of inputs) {
      const raw = ownField(rec, f.name);
      const value = f.multiple ? toValues(raw, f.type, f.name) : toValue(raw, f.type, f.name);
      // An input named __proto__ is a field like any other (setField defines it).
      setField(input, f.inputName, value);
    }
    return input;
  };
}

/** The result record, field by field in a loop: the baseline of `resultRecordBuilder`. */
export function plainResultRecord(results: readonly ResultName[]): RecordBuilder {
  return (out) => {
    const o = out as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const r of results) setField(result, r.name, o[r.outputName]);
    return result;
  };
}

/**
 * The input record as one object literal, fields in the loop's order (so a field that cannot be
 * converted fails where the loop does). Field names reach the source only as quoted keys.
 *
 * A record whose prototype is Object.prototype or null (every object literal, every record parsed
 * from JSON) has its fields read plainly: a field it lacks then reads as undefined, as the own-field
 * test would say, except one named like a property of Object.prototype, which is still tested. Any
 * other record is read field by field with the test (avro/fits.ts does the same): the test on every
 * field took about a tenth of scoring a small forest.
 */
export function inputRecordBuilder(inputs: readonly InputField[]): RecordBuilder {
  const scope = new Scope();
  const record = scope.name('r');
  const rec = scope.name('o');
  const proto = scope.name('p');
  const own = scope.bind('O', ownField);
  const objectPrototype = scope.bind('P', Object.prototype);
  const converts = inputs.map((f) => {
    const { name, type } = f;
    if (f.multiple) return scope.bind('C', (raw: unknown) => toValues(raw, type, name));
    // A value already of the field's type is the value: the common case tested first.
    const slow = (raw: unknown) => toValue(raw, type, name);
    return scope.bind(
      'C',
      type === 'double'
        ? (raw: unknown) => (typeof raw === 'number' ? raw : slow(raw))
        : type === 'boolean'
          ? (raw: unknown) => (typeof raw === 'boolean' ? raw : slow(raw))
          : (raw: unknown) => (typeof raw === 'string' ? raw : slow(raw)),
    );
  });
  const literal = (plain: boolean) =>
    objectLiteral(
      inputs.map((f, i): readonly [string, Code] => {
        const read = plain && !(f.name in Object.prototype) ? property(rec, f.name) : code`${own}(${rec}, ${f.name})`;
        return [f.inputName, code`${converts[i]!}(${read})`];
      }),
    );
  return compileKernel<RecordBuilder>({
    scope,
    params: [record],
    body: code`const ${rec} = ${record} ?? {};
if (typeof ${rec} === "object" && !Array.isArray(${rec})) {
  const ${proto} = Object.getPrototypeOf(${rec});
  if (${proto} === ${objectPrototype} || ${proto} === null) return ${literal(true)};
}
return ${literal(false)};`,
  });
}

/** The result record as one object literal of the output record's fields, read by name. */
export function resultRecordBuilder(results: readonly ResultName[]): RecordBuilder {
  const scope = new Scope();
  const out = scope.name('r');
  return compileKernel<RecordBuilder>({
    scope,
    params: [out],
    body: code`return ${objectLiteral(results.map((r) => [r.name, property(out, r.outputName)] as const))};`,
  });
}

/**
 * Only a record's own properties: a field named toString must not read Object.prototype's. (A
 * function of the module, not a closure made per record.)
 */
function ownField(rec: Record<string, unknown>, name: string): unknown {
  return typeof rec === 'object' && Object.hasOwn(rec, name) ? rec[name] : undefined;
}

/** The items of a transactional model's field: an array of values, or a single value as a one-item array. */
function toValues(v: unknown, type: ValueType, name: string): unknown[] | null {
  if (v === undefined || v === null) return null;
  return (Array.isArray(v) ? v : [v]).filter((x) => x !== undefined && x !== null).map((x) => toValue(x, type, name));
}

/**
 * A field value from a caller's record: numbers from numbers or numeric text, text from anything.
 * A grouped (transactional) record repeats a field once per row: an array of one repeated value is
 * that value.
 */
function toValue(v: unknown, type: ValueType, name: string): unknown {
  if (Array.isArray(v)) {
    if (v.some((x) => x !== v[0]))
      throw new PfaRuntimeError('input-mismatch', `field ${JSON.stringify(name)} takes one value, got ${JSON.stringify(v)}`);
    return toValue(v[0], type, name);
  }
  if (v === undefined || v === null) return null;
  switch (type) {
    case 'double': {
      if (typeof v === 'number') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      const n = typeof v === 'string' ? parseNumber(v) : undefined;
      if (n === undefined)
        throw new PfaRuntimeError('input-mismatch', `field ${JSON.stringify(name)} needs a number, got ${JSON.stringify(v)}`);
      return n;
    }
    case 'boolean':
      if (typeof v === 'boolean') return v;
      // As JPMML reads them: true/false in any case, and 1/0.
      if (v === 1 || v === 0) return v === 1;
      if (typeof v === 'string' && parseBoolean(v) !== undefined) return parseBoolean(v);
      throw new PfaRuntimeError('input-mismatch', `field ${JSON.stringify(name)} needs a boolean, got ${JSON.stringify(v)}`);
    default:
      return typeof v === 'string' ? v : String(v);
  }
}
