/**
 * The document's top-level shape is checked by a walk of `documentSchema` that must answer exactly
 * what ajv answers for that schema with `allErrors: false`: the same first problem, pointer and
 * message. Both run here on documents broken in one or two places at once (so that the order in
 * which problems are found is compared too).
 */
import { describe, expect, it } from 'vitest';
import { Ajv, type ErrorObject } from 'ajv';
import { checkDocumentShape, documentSchema, type ShapeProblem } from '../../src/pfa/document-schema.js';

const validate = new Ajv({ allErrors: false, strict: true }).compile(documentSchema);

/** The answer through ajv, described as the engine describes a problem. */
function byAjv(doc: unknown): ShapeProblem | undefined {
  if (validate(doc)) return undefined;
  const e = validate.errors![0] as ErrorObject;
  switch (e.keyword) {
    case 'required':
      return {
        pointer: e.instancePath,
        code: 'missing-field',
        message: `missing required field "${(e.params as { missingProperty: string }).missingProperty}"`,
      };
    case 'additionalProperties': {
      const field = (e.params as { additionalProperty: string }).additionalProperty;
      return { pointer: `${e.instancePath}/${field}`, code: 'unknown-field', message: `unknown field "${field}"` };
    }
    default:
      return { pointer: e.instancePath, code: 'bad-field', message: `${e.instancePath || 'document'} ${e.message ?? 'is invalid'}` };
  }
}

const VALUES: unknown[] = [
  1,
  0,
  -3,
  1.5,
  1e300,
  NaN,
  Infinity,
  10n,
  'x',
  'a-b',
  '_ok9',
  'map',
  'fold',
  'emit',
  'ünï',
  true,
  false,
  null,
  undefined,
  [],
  [1],
  {},
  { a: 1 },
  { a: 'x' },
  { 'a/b~c': 1 },
];
const CELLS: unknown[] = [
  { type: 1, init: 1 },
  { type: 1 },
  { init: 1 },
  { type: 1, init: 1, shared: 'no' },
  { type: 1, init: 1, rollback: true, source: 3 },
  { type: 1, init: 1, colour: 1 },
  { type: 1, init: [], shared: true },
  [],
];
const BASE = { input: 'double', output: 'double', action: 'input' };
const KEYS = [...Object.keys(documentSchema.properties), 'colour', 'x/y', '~'];

/** Documents broken by setting one member to each value, and cells, pools and functions of every kind. */
function oneChange(): Record<string, unknown>[] {
  const docs: Record<string, unknown>[] = [];
  for (const key of KEYS) for (const v of VALUES) docs.push({ ...BASE, [key]: v });
  for (const key of ['input', 'output', 'action'] as const) {
    const { [key]: _, ...rest } = BASE;
    docs.push(rest);
  }
  for (const c of CELLS) {
    docs.push({ ...BASE, cells: { a: c, 'b/~': c } });
    docs.push({ ...BASE, pools: { p: c } });
  }
  for (const v of VALUES) {
    docs.push({ ...BASE, fcns: { f: v }, metadata: { m: v } });
    docs.push({ ...BASE, pools: { p: { type: 1, init: v } } });
  }
  return docs;
}

describe('the document shape check', () => {
  it('answers as ajv does for one broken member', () => {
    const docs = oneChange();
    let problems = 0;
    for (const doc of docs) {
      const expected = byAjv(doc);
      expect(
        checkDocumentShape(doc),
        JSON.stringify(doc, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)),
      ).toEqual(expected);
      if (expected) problems++;
    }
    // Most of them are broken; some values fit (a string name, an integer version).
    expect(problems).toBeGreaterThan(docs.length / 2);
  });

  it('finds the same first problem as ajv when two members are broken, in either order', () => {
    const broken = oneChange().filter((d) => byAjv(d) !== undefined);
    // Pairs of a sample: merging two broken documents, with the keys of each first.
    for (let i = 0; i < broken.length; i += 7) {
      for (let j = 3; j < broken.length; j += 11) {
        for (const doc of [
          { ...broken[i], ...broken[j] },
          { ...broken[j], ...broken[i] },
        ])
          expect(checkDocumentShape(doc)).toEqual(byAjv(doc));
      }
    }
  });

  it('accepts a full, well-formed document', () => {
    const doc = {
      ...BASE,
      name: 'm_1',
      method: 'fold',
      zero: 0,
      merge: 'input',
      begin: [],
      end: [],
      fcns: { f: {} },
      cells: { c: { type: 'int', init: 0, shared: false, rollback: true } },
      pools: { p: { type: 'int', init: {}, shared: true } },
      randseed: 7,
      doc: 'd',
      version: 2,
      metadata: { k: 'v' },
      options: {},
    };
    expect(checkDocumentShape(doc)).toBeUndefined();
    expect(byAjv(doc)).toBeUndefined();
  });
});
