/**
 * A PMML model's fields as JPMML's evaluators list them (inputs, targets, outputs), read from the
 * DataDictionary and the model's Output, and its wire types: records of nullable fields, since any
 * PMML field may be missing. Built once at load.
 */
import { plainJsonSchema, type JsonSchema } from '../avro/json-schema.js';
import type { AvroType, Field, PrimitiveType, RecordType } from '../avro/types.js';
import type { WireTypes } from '../io/wire.js';
import {
  recordJsonSchema,
  type FieldInterval,
  type ModelField,
  type ModelFields,
  type ModelJsonSchema,
  type OpType,
} from '../model-fields.js';
import type { LoweredDocument } from './lower/document.js';
import { parseNumber, type ValueType } from './lower/context.js';
import { child, childrenNamed, type XmlElement } from './xml.js';

/** The Avro type a plain value of a PMML data type is read as. */
function valueType(dataType: string): PrimitiveType {
  return {
    kind: /^(double|float|real)$/i.test(dataType)
      ? 'double'
      : /^integer$/i.test(dataType)
        ? 'long'
        : /^boolean$/i.test(dataType)
          ? 'boolean'
          : 'string',
  };
}

/** The same, or null for missing. */
function nullable(dataType: string): AvroType {
  return { kind: 'union', types: [{ kind: 'null' }, valueType(dataType)] };
}

function optionalRecord(name: string, fields: readonly { name: string; dataType: string }[]): RecordType {
  const out: Field[] = fields.map((f) => ({ name: f.name, type: nullable(f.dataType), hasDefault: true, default: null }));
  return { kind: 'record', name, fullName: name, fields: out };
}

const CLOSURES = new Set<FieldInterval['closure']>(['openOpen', 'openClosed', 'closedOpen', 'closedClosed']);

function interval(el: XmlElement): FieldInterval {
  const closure = CLOSURES.has(el.attrs.closure as FieldInterval['closure'])
    ? (el.attrs.closure as FieldInterval['closure'])
    : 'closedClosed';
  const margin = (name: string): number | undefined => (el.attrs[name] === undefined ? undefined : parseNumber(el.attrs[name]!));
  const left = margin('leftMargin');
  const right = margin('rightMargin');
  return { closure, ...(left !== undefined ? { leftMargin: left } : {}), ...(right !== undefined ? { rightMargin: right } : {}) };
}

function opTypeOf(value: string | undefined): OpType | undefined {
  return value === 'continuous' || value === 'categorical' || value === 'ordinal' ? value : undefined;
}

/** What the document says of a field, beyond its name and data type. */
interface Declared {
  readonly opType?: OpType;
  readonly values?: readonly string[];
  readonly intervals?: readonly FieldInterval[];
  readonly displayName?: string;
}

/** The declarations of a DataField (or an OutputField, which may carry Values too). */
function declared(el: XmlElement | undefined, fallbackOpType: OpType): Declared {
  if (!el) return { opType: fallbackOpType };
  const values = childrenNamed(el, 'Value')
    .filter((v) => (v.attrs.property ?? 'valid') === 'valid' && v.attrs.value !== undefined)
    .map((v) => v.attrs.value!);
  const intervals = childrenNamed(el, 'Interval').map(interval);
  return {
    opType: opTypeOf(el.attrs.optype) ?? fallbackOpType,
    ...(values.length ? { values } : {}),
    ...(intervals.length ? { intervals } : {}),
    ...(el.attrs.displayName !== undefined ? { displayName: el.attrs.displayName } : {}),
  };
}

/**
 * The plain JSON Schema of a nullable PMML field: its valid values as an enum (text fields), its
 * one interval as bounds (numbers), its display name as the title.
 */
function fieldSchema(type: AvroType, d: Declared): JsonSchema {
  const branches = type.kind === 'union' ? type.types.filter((b) => b.kind !== 'null') : [type];
  const branch = branches.at(-1)!;
  if (branches.length > 1) return { ...(d.displayName !== undefined ? { title: d.displayName } : {}), ...plainJsonSchema(type) };
  let value: JsonSchema = plainJsonSchema(branch);
  if (d.values && branch.kind === 'string') value = { ...value, enum: [...d.values] };
  const only = d.intervals?.length === 1 ? d.intervals[0]! : undefined;
  if (only && (branch.kind === 'double' || branch.kind === 'long')) {
    // A bounded value is a number: NaN and the infinities (as text) are outside any interval.
    value = { type: branch.kind === 'double' ? 'number' : 'integer' };
    if (only.leftMargin !== undefined) value[only.closure.startsWith('open') ? 'exclusiveMinimum' : 'minimum'] = only.leftMargin;
    if (only.rightMargin !== undefined) value[only.closure.endsWith('Open') ? 'exclusiveMaximum' : 'maximum'] = only.rightMargin;
  }
  return { ...(d.displayName !== undefined ? { title: d.displayName } : {}), anyOf: [{ type: 'null' }, value] };
}

/** An item field of a transactional model takes a list of values, or one value for a list of one. */
function items(dataType: string): AvroType {
  const one = valueType(dataType);
  return { kind: 'union', types: [{ kind: 'null' }, { kind: 'array', items: one }, one] };
}

/**
 * A field as the model reads or gives it: its value type is the lowered document's (`valueType`:
 * an integer field reads any number, as PMML does), the declared `dataType` beside it.
 */
function field(name: string, dataType: string, read: ValueType, d: Declared, optional: boolean, multiple = false): ModelField {
  const type = multiple ? items(read) : nullable(read);
  return { name, type, schema: fieldSchema(type, d), optional, dataType, ...d };
}

export interface PmmlFields extends ModelFields {
  readonly wire: WireTypes;
  /** The fields of the wire input record (inputs, and a target a `residual` output reads). */
  readonly readFields: readonly ModelField[];
}

/** Fields and wire types of a lowered PMML document; `root` is the PMML element it came from. */
export function pmmlFields(root: XmlElement, lowered: LoweredDocument): PmmlFields {
  const dataFields = new Map(childrenNamed(child(root, 'DataDictionary') ?? root, 'DataField').map((el) => [el.attrs.name ?? '', el]));
  const output = child(lowered.model.element, 'Output');
  const outputFields = new Map((output ? childrenNamed(output, 'OutputField') : []).map((el) => [el.attrs.name ?? '', el]));
  const fallback = (r: LoweredDocument['results'][number]): OpType => (r.type === 'double' ? 'continuous' : 'categorical');

  const targets = lowered.results.filter((r) => r.kind === 'target');
  const targetNames = new Set(targets.map((r) => r.name));
  // Every input is optional: a PMML model reads an absent field as missing.
  const readFields = lowered.inputs.map((f) => field(f.name, f.dataType, f.type, declared(f.element, f.optype), true, f.multiple));
  return {
    // The target is never an input, even when a residual output reads it from the record.
    inputFields: readFields.filter((f) => !targetNames.has(f.name)),
    readFields,
    targetFields: targets.map((r) => field(r.name, r.dataType, r.type, declared(dataFields.get(r.name), fallback(r)), false)),
    outputFields: lowered.results
      .filter((r) => r.kind === 'output')
      .map((r) => field(r.name, r.dataType, r.type, declared(outputFields.get(r.name), fallback(r)), false)),
    wire: { input: optionalRecord('Inputs', lowered.inputs), output: optionalRecord('Results', lowered.results), tagged: false },
  };
}

/** The JSON Schemas of a PMML model's plain records: what it reads, and every result field. */
export function pmmlJsonSchema(name: string, fields: PmmlFields): ModelJsonSchema {
  return {
    input: recordJsonSchema(`${name} input`, fields.readFields),
    output: recordJsonSchema(`${name} output`, [...fields.targetFields, ...fields.outputFields]),
  };
}
