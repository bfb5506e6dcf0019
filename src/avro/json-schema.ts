/**
 * Avro type → JSON Schema (as ajv reads it) for values in Avro's JSON
 * encoding, exactly what `fromJson` accepts: servers validate requests with it before scoring, so a
 * bad request is answered with the path and reason of its first problem.
 *
 * Named records go into `$defs` and are referred to by `$ref`, which covers recursive types.
 */
import { branchName } from './json.js';
import type { AvroType, RecordType } from './types.js';
import { INT_MAX, INT_MIN } from './values.js';

export type JsonSchema = Record<string, unknown>;

const NONFINITE = ['NaN', 'nan', 'Infinity', 'inf', '-Infinity', '-inf'];
const LATIN1 = '^[\\u0000-\\u00ff]*$';

function defRef(name: string): string {
  return `#/$defs/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

function convert(t: AvroType, defs: Map<string, JsonSchema>): JsonSchema {
  switch (t.kind) {
    case 'null':
      return { type: 'null' };
    case 'boolean':
      return { type: 'boolean' };
    case 'int':
      return { type: 'integer', minimum: INT_MIN, maximum: INT_MAX };
    case 'long':
      return { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^-?\\d+$' }] };
    case 'float':
    case 'double':
      return { anyOf: [{ type: 'number' }, { enum: NONFINITE }] };
    case 'string':
      return { type: 'string' };
    case 'bytes':
      return { type: 'string', pattern: LATIN1 };
    case 'fixed':
      return { type: 'string', pattern: LATIN1, minLength: t.size, maxLength: t.size };
    case 'enum':
      return { enum: [...t.symbols] };
    case 'array':
      return { type: 'array', items: convert(t.items, defs) };
    case 'map':
      return { type: 'object', additionalProperties: convert(t.values, defs) };
    case 'record':
      if (!defs.has(t.fullName)) recordDef(t, defs);
      return { $ref: defRef(t.fullName) };
    case 'union':
      return {
        oneOf: t.types.map((b) =>
          b.kind === 'null'
            ? { type: 'null' }
            : { type: 'object', properties: { [branchName(b)]: convert(b, defs) }, required: [branchName(b)], additionalProperties: false },
        ),
      };
  }
}

function recordDef(t: RecordType, defs: Map<string, JsonSchema>): void {
  // A field with a default may be left out (a caller that reads defaults fills it in).
  const def: JsonSchema = { type: 'object', required: t.fields.filter((f) => !f.hasDefault).map((f) => f.name) };
  defs.set(t.fullName, def); // registered first: fields may refer back to this record
  // fromEntries defines own properties, so a field named `__proto__` stays a field.
  def.properties = Object.fromEntries(t.fields.map((f) => [f.name, convert(f.type, defs)]));
}

/** The JSON Schema of `t`'s values in Avro's JSON encoding. */
export function avroJsonSchema(t: AvroType): JsonSchema {
  const defs = new Map<string, JsonSchema>();
  const root = convert(t, defs);
  return defs.size ? { ...root, $defs: Object.fromEntries(defs) } : root;
}

/** The dialect of the schemas below, named in their `$schema`. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * Plain JSON (what `fromPlainJson` reads and `toPlainJson` writes): a union's value is one of its
 * branches' values, untagged. Leaves are as in Avro's JSON encoding.
 */
function plain(t: AvroType, defs: Map<string, JsonSchema>): JsonSchema {
  switch (t.kind) {
    case 'array':
      return { type: 'array', items: plain(t.items, defs) };
    case 'map':
      return { type: 'object', additionalProperties: plain(t.values, defs) };
    case 'record':
      if (!defs.has(t.fullName)) plainRecordDef(t, defs);
      return { $ref: defRef(t.fullName) };
    case 'union':
      return { anyOf: t.types.map((b) => plain(b, defs)) };
    default:
      return convert(t, defs);
  }
}

function plainRecordDef(t: RecordType, defs: Map<string, JsonSchema>): void {
  const def: JsonSchema = { type: 'object', required: t.fields.filter((f) => !f.hasDefault).map((f) => f.name) };
  defs.set(t.fullName, def);
  def.properties = Object.fromEntries(t.fields.map((f) => [f.name, plain(f.type, defs)]));
}

/**
 * The JSON Schema of `t`'s values in plain JSON, self-contained: named records are in its `$defs`.
 * Placed inside a larger schema, its `$ref`s resolve against that schema's root, so whoever nests
 * it hoists the `$defs` there (as `Model.jsonSchema` does).
 */
export function plainJsonSchema(t: AvroType): JsonSchema {
  const defs = new Map<string, JsonSchema>();
  const root = plain(t, defs);
  return defs.size ? { ...root, $defs: Object.fromEntries(defs) } : root;
}

/** Whether a value of `t` may be null (the type is null, or a union with a null branch). */
export function isNullable(t: AvroType): boolean {
  return t.kind === 'null' || (t.kind === 'union' && t.types.some((b) => b.kind === 'null'));
}
