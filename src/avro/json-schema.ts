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
