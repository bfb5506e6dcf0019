/**
 * The structural schema of a PFA document's top level, checked with ajv (loaded and compiled once,
 * when the first document is checked, so that importing the library does not pay for it) before any semantic work, so that shape errors come back with a precise pointer.
 * Expressions and Avro schemas are checked by the parser itself: their grammar is not a good fit
 * for JSON Schema and their errors read better from hand-written checks.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajv } from '../lazy-modules.js';

const expressions = {}; // an expression or an array of expressions: checked by the parser
const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

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
        properties: { type: {}, init: { type: 'object' }, shared: { type: 'boolean' }, rollback: { type: 'boolean' }, source: { type: 'string' } },
      },
    },
    randseed: { type: 'integer' },
    doc: { type: 'string' },
    version: { type: 'integer' },
    metadata: stringMap,
    options: { type: 'object' },
  },
} as const;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  return (compiled ??= new (ajv().Ajv)({ allErrors: false, strict: true }).compile(documentSchema));
}

export interface ShapeProblem {
  readonly pointer: string;
  readonly message: string;
  readonly code: 'missing-field' | 'unknown-field' | 'bad-field';
}

function describe(e: ErrorObject): ShapeProblem {
  switch (e.keyword) {
    case 'required':
      return { pointer: e.instancePath, code: 'missing-field', message: `missing required field "${(e.params as { missingProperty: string }).missingProperty}"` };
    case 'additionalProperties': {
      const field = (e.params as { additionalProperty: string }).additionalProperty;
      return { pointer: `${e.instancePath}/${field}`, code: 'unknown-field', message: `unknown field "${field}"` };
    }
    default:
      return { pointer: e.instancePath, code: 'bad-field', message: `${e.instancePath || 'document'} ${e.message ?? 'is invalid'}` };
  }
}

/** The first structural problem of a document's top level, or undefined when its shape is right. */
export function checkDocumentShape(doc: unknown): ShapeProblem | undefined {
  const validate = validator();
  if (validate(doc)) return undefined;
  return describe(validate.errors![0]!);
}
