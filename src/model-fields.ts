/**
 * What a model's fields are, for people and programs that call it: the input fields a record
 * carries, the targets the model predicts and the other output fields, each with its Avro type,
 * the JSON Schema of its plain JSON values and, from a PMML document, its data type, operational
 * type, valid values, intervals and display name. `Model.jsonSchema()` and `trajan types` are
 * built from these, and the server publishes them.
 */
import { isNullable, JSON_SCHEMA_DIALECT, plainJsonSchema, type JsonSchema } from './avro/json-schema.js';
import type { AvroType } from './avro/types.js';

export type { JsonSchema } from './avro/json-schema.js';

export type OpType = 'continuous' | 'categorical' | 'ordinal';

/** A PMML Interval: the values a continuous field may take, with its closure. */
export interface FieldInterval {
  readonly closure: 'openOpen' | 'openClosed' | 'closedOpen' | 'closedClosed';
  /** Absent: unbounded on that side. */
  readonly leftMargin?: number;
  readonly rightMargin?: number;
}

export interface ModelField {
  /** The name a plain record uses (a PMML model: the PMML name, any characters). */
  readonly name: string;
  /** Avro type of the field's values. */
  readonly type: AvroType;
  /** JSON Schema (draft 2020-12) of the field's plain JSON values; its `$defs` travel with it. */
  readonly schema: JsonSchema;
  /** Whether a record may leave the field out: a nullable input field reads as null when absent. */
  readonly optional: boolean;
  /** The document's data type (PMML `dataType`), when it gives one. */
  readonly dataType?: string;
  /** The document's operational type (PMML `optype`), when it gives one. */
  readonly opType?: OpType;
  /** Declared valid values of a categorical or ordinal field, in order. */
  readonly values?: readonly string[];
  /** Declared intervals of a continuous field's valid values. */
  readonly intervals?: readonly FieldInterval[];
  /** A name for people (PMML `displayName`). */
  readonly displayName?: string;
}

/** A model's fields as JPMML lists them: inputs, targets, and the other outputs. */
export interface ModelFields {
  readonly inputFields: readonly ModelField[];
  readonly targetFields: readonly ModelField[];
  readonly outputFields: readonly ModelField[];
}

/** The JSON Schemas of one input record and one result, both plain JSON. */
export interface ModelJsonSchema {
  readonly input: JsonSchema;
  readonly output: JsonSchema;
}

/**
 * The name of the one field that stands for a PFA input or output that is not a record: the name
 * PFA itself gives the action's argument (`input`), and by symmetry `output`.
 */
export const NON_RECORD_FIELD = { input: 'input', output: 'output' } as const;

/** A field of Avro type `type`, its schema derived from the type. */
export function typedField(name: string, type: AvroType, optional: boolean): ModelField {
  return { name, type, schema: plainJsonSchema(type), optional };
}

/**
 * The fields of a PFA model's input or output: a record's own fields (a nullable input field is
 * optional, as `PfaModel.score` reads an absent one as null), or one field named `input` or
 * `output` for any other type.
 */
export function pfaFields(t: AvroType, side: 'input' | 'output'): ModelField[] {
  if (t.kind !== 'record') return [typedField(NON_RECORD_FIELD[side], t, false)];
  return t.fields.map((f) => typedField(f.name, f.type, side === 'input' && (f.hasDefault || isNullable(f.type))));
}

/** The top-level `$defs` of a field schema, removed from it: nested schemas resolve against the root. */
function hoist(schema: JsonSchema, defs: Record<string, unknown>): JsonSchema {
  const { $defs, ...rest } = schema as { $defs?: Record<string, unknown> };
  if ($defs)
    for (const [k, v] of Object.entries($defs))
      Object.defineProperty(defs, k, { value: v, enumerable: true, writable: true, configurable: true });
  return rest;
}

/**
 * A JSON Schema document for a record of `fields`, or for the one value a non-record PFA type
 * carries (`single`). Every field's `$defs` go to the root, where its `$ref`s point.
 */
export function recordJsonSchema(title: string, fields: readonly ModelField[], single?: AvroType): JsonSchema {
  const defs: Record<string, unknown> = {};
  let body: JsonSchema;
  if (single) body = hoist(plainJsonSchema(single), defs);
  else {
    const properties: Record<string, unknown> = {};
    // Defined, not assigned: a field may be named __proto__.
    for (const f of fields)
      Object.defineProperty(properties, f.name, { value: hoist(f.schema, defs), enumerable: true, writable: true, configurable: true });
    body = { type: 'object', properties, required: fields.filter((f) => !f.optional).map((f) => f.name) };
  }
  return { $schema: JSON_SCHEMA_DIALECT, title, ...body, ...(Object.keys(defs).length ? { $defs: defs } : {}) };
}

/** The JSON Schemas of a PFA model's plain input and output. */
export function pfaJsonSchema(name: string, inputType: AvroType, outputType: AvroType, fields: ModelFields): ModelJsonSchema {
  const side = (t: AvroType, list: readonly ModelField[], what: string) =>
    recordJsonSchema(`${name} ${what}`, list, t.kind === 'record' ? undefined : t);
  return {
    input: side(inputType, fields.inputFields, 'input'),
    output: side(outputType, [...fields.targetFields, ...fields.outputFields], 'output'),
  };
}
