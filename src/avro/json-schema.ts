/**
 * Avro type → JSON Schema (draft 2020-12) of its values in Avro's JSON encoding (`avroJsonSchema`,
 * about what `fromJson` accepts) or in plain JSON (`plainJsonSchema`, the records of the servers'
 * OpenAPI description and of `Model.jsonSchema`). Requests themselves are checked by the input
 * check generated from the type (fits.ts), which also bounds longs and nesting.
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

/**
 * The two JSON forms of a value: Avro's JSON encoding (`tagged`: a union's value is `null` or
 * `{"branch": value}`) and plain JSON (`plain`: the branch's value itself, untagged). Only unions
 * differ between them; leaves are written alike.
 */
type Form = 'tagged' | 'plain';

/**
 * The schema of `t`'s values in `form`. Named records go into `defs` (by full name, registered
 * before their fields are walked, so that a recursive record ends) and are referred to by `$ref`.
 */
function walk(t: AvroType, form: Form, defs: Map<string, JsonSchema>): JsonSchema {
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
      return { type: 'array', items: walk(t.items, form, defs) };
    case 'map':
      return { type: 'object', additionalProperties: walk(t.values, form, defs) };
    case 'record':
      if (!defs.has(t.fullName)) recordDef(t, form, defs);
      return { $ref: defRef(t.fullName) };
    case 'union':
      if (form === 'plain') return { anyOf: t.types.map((b) => walk(b, form, defs)) };
      return {
        oneOf: t.types.map((b) =>
          b.kind === 'null'
            ? { type: 'null' }
            : {
                type: 'object',
                properties: { [branchName(b)]: walk(b, form, defs) },
                required: [branchName(b)],
                additionalProperties: false,
              },
        ),
      };
  }
}

function recordDef(t: RecordType, form: Form, defs: Map<string, JsonSchema>): void {
  // A field with a default may be left out (a caller that reads defaults fills it in).
  const def: JsonSchema = { type: 'object', required: t.fields.filter((f) => !f.hasDefault).map((f) => f.name) };
  defs.set(t.fullName, def); // registered first: fields may refer back to this record
  // fromEntries defines own properties, so a field named `__proto__` stays a field.
  def.properties = Object.fromEntries(t.fields.map((f) => [f.name, walk(f.type, form, defs)]));
}

/** The self-contained schema of `t` in `form`: named records are in its `$defs`. */
function schemaOf(t: AvroType, form: Form): JsonSchema {
  const defs = new Map<string, JsonSchema>();
  const root = walk(t, form, defs);
  return defs.size ? { ...root, $defs: Object.fromEntries(defs) } : root;
}

/** The JSON Schema of `t`'s values in Avro's JSON encoding. */
export function avroJsonSchema(t: AvroType): JsonSchema {
  return schemaOf(t, 'tagged');
}

/** The dialect of the schemas below, named in their `$schema`. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * The JSON Schema of `t`'s values in plain JSON (what `fromPlainJson` reads and `toPlainJson`
 * writes), self-contained: named records are in its `$defs`. Placed inside a larger schema, its
 * `$ref`s resolve against that schema's root, so whoever nests it hoists the `$defs` there (as
 * `Model.jsonSchema` does).
 */
export function plainJsonSchema(t: AvroType): JsonSchema {
  return schemaOf(t, 'plain');
}

/** Whether a value of `t` may be null (the type is null, or a union with a null branch). */
export function isNullable(t: AvroType): boolean {
  return t.kind === 'null' || (t.kind === 'union' && t.types.some((b) => b.kind === 'null'));
}
