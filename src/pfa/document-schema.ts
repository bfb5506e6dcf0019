/**
 * The structural schema of a PFA document's top level, checked before any semantic work, so that
 * shape errors come back with a precise pointer. Expressions and Avro schemas are checked by the
 * parser itself: their grammar is not a good fit for JSON Schema and their errors read better from
 * hand-written checks.
 *
 * The schema is a small subset of JSON Schema (type, enum, pattern, required, properties,
 * additionalProperties), read here by a walk that answers what ajv answers with `allErrors: false`
 * (the first problem, in ajv's order, with ajv's pointer and message; spec/pfa/document-schema.spec.ts
 * compares the two). Loading and compiling ajv took longer than loading a 300-tree model.
 */

const expressions = {}; // an expression or an array of expressions: checked by the parser
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

export const documentSchema = {
  type: 'object',
  required: ['input', 'output', 'action'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    method: { enum: ['map', 'emit', 'fold'] },
    input: {},
    output: {},
    begin: expressions,
    action: expressions,
    end: expressions,
    fcns: { type: 'object', additionalProperties: { type: 'object' } },
    zero: {},
    merge: expressions,
    cells: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['type', 'init'],
        additionalProperties: false,
        properties: { type: {}, init: {}, shared: { type: 'boolean' }, rollback: { type: 'boolean' }, source: { type: 'string' } },
      },
    },
    pools: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['type'],
        additionalProperties: false,
        properties: {
          type: {},
          init: { type: 'object' },
          shared: { type: 'boolean' },
          rollback: { type: 'boolean' },
          source: { type: 'string' },
        },
      },
    },
    randseed: { type: 'integer' },
    doc: { type: 'string' },
    version: { type: 'integer' },
    metadata: stringMap,
    options: { type: 'object' },
  },
} as const satisfies Shape;

export interface ShapeProblem {
  readonly pointer: string;
  readonly message: string;
  readonly code: 'missing-field' | 'unknown-field' | 'bad-field';
}

/** The part of JSON Schema `documentSchema` is written in. */
interface Shape {
  readonly type?: 'object' | 'string' | 'boolean' | 'integer';
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly required?: readonly string[];
  readonly properties?: Readonly<Record<string, Shape>>;
  readonly additionalProperties?: false | Shape;
}

const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** JSON Schema's types as ajv tests them (an object is not an array, an integer is a finite whole number). */
function hasType(value: unknown, type: NonNullable<Shape['type']>): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && value % 1 === 0 && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

const patterns = new Map<string, RegExp>();

/**
 * The first problem of `value` against `shape`, in ajv's order: type, enum, pattern, then for
 * objects required (in the schema's order), additional properties (in the value's key order) and
 * the properties present (in the schema's order). A member whose value is undefined is absent.
 */
function firstProblem(shape: Shape, value: unknown, at: string): ShapeProblem | undefined {
  const bad = (message: string): ShapeProblem => ({ pointer: at, code: 'bad-field', message: `${at || 'document'} ${message}` });
  if (shape.type && !hasType(value, shape.type)) return bad(`must be ${shape.type}`);
  if (shape.enum && !shape.enum.includes(value)) return bad('must be equal to one of the allowed values');
  if (shape.pattern !== undefined && typeof value === 'string') {
    let re = patterns.get(shape.pattern);
    if (!re) patterns.set(shape.pattern, (re = new RegExp(shape.pattern, 'u')));
    if (!re.test(value)) return bad(`must match pattern "${shape.pattern}"`);
  }
  if (shape.type !== 'object') return undefined;
  const object = value as Record<string, unknown>;
  for (const name of shape.required ?? []) {
    if (object[name] === undefined) return { pointer: at, code: 'missing-field', message: `missing required field "${name}"` };
  }
  const properties = shape.properties ?? {};
  const extra = shape.additionalProperties;
  if (extra !== undefined) {
    for (const key in object) {
      if (Object.hasOwn(properties, key)) continue;
      if (extra === false) return { pointer: `${at}/${key}`, code: 'unknown-field', message: `unknown field "${key}"` };
      const problem = firstProblem(extra, object[key], `${at}/${escapePointer(key)}`);
      if (problem) return problem;
    }
  }
  for (const name of Object.keys(properties)) {
    if (object[name] === undefined) continue;
    const problem = firstProblem(properties[name]!, object[name], `${at}/${escapePointer(name)}`);
    if (problem) return problem;
  }
  return undefined;
}

/** The first structural problem of a document's top level, or undefined when its shape is right. */
export function checkDocumentShape(doc: unknown): ShapeProblem | undefined {
  return firstProblem(documentSchema, doc, '');
}
