import { describe, expect, it } from 'vitest';
import { PfaSemanticError, PfaSyntaxError, checkPfaSource, loadPfa } from '../../src/index.js';

function failure(source: string | object): {
  kind: string;
  code: string | number;
  location?: { pointer?: string; line?: number; column?: number };
} {
  try {
    checkPfaSource(source);
  } catch (e) {
    return e as never;
  }
  throw new Error('expected the document to be rejected');
}

describe('rejected documents', () => {
  it('malformed JSON, with a line and column', () => {
    const e = failure('{"input": "double",\n "output": "double",\n "action": [1,,2]}');
    expect(e).toBeInstanceOf(PfaSyntaxError);
    expect([e.code, e.location?.line]).toEqual(['json-syntax', 3]);
  });

  it('malformed YAML, with a line and column', () => {
    const e = failure('input: double\noutput: double\naction: [1, 2\n');
    expect([e.code, e.location?.line]).toEqual(['yaml-syntax', 4]);
  });

  it('a document that is not an object', () => {
    expect(failure('[1, 2]').code).toBe('not-an-object');
    expect(failure('"text"').code).toBe('not-an-object');
  });

  it('unknown and missing top-level fields', () => {
    expect(failure({ input: 'double', output: 'double', action: 1, colour: 1 })).toMatchObject({
      code: 'unknown-field',
      location: { pointer: '/colour' },
    });
    expect(failure({ input: 'double', output: 'double' })).toMatchObject({ code: 'missing-field' });
    expect(failure({ output: 'double', action: 1 })).toMatchObject({ code: 'missing-field' });
  });

  it('invalid schemas, with the pointer into the schema', () => {
    expect(failure({ input: { type: 'record', name: 'bad name', fields: [] }, output: 'double', action: 1 })).toMatchObject({
      code: 'bad-schema',
      location: { pointer: '/input/name' },
    });
    expect(failure({ input: 'Nowhere', output: 'double', action: 1 })).toMatchObject({
      code: 'bad-schema',
      location: { pointer: '/input' },
    });
    const twice = { input: { type: 'record', name: 'R', fields: [] }, output: { type: 'record', name: 'R', fields: [] }, action: 'input' };
    expect(failure(twice)).toMatchObject({ code: 'bad-schema', location: { pointer: '/output' } });
  });

  it('resolves a named type used before its definition in document order', () => {
    const doc = {
      input: 'Point',
      output: 'double',
      cells: { origin: { type: { type: 'record', name: 'Point', fields: [{ name: 'x', type: 'double' }] }, init: { x: 1 } } },
      action: 'input.x',
    };
    expect(loadPfa(doc).action({ x: 4 })).toBe(4);
  });

  it('expressions nested beyond the parser limit', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 600; i++) deep = { 'u-': [deep] };
    expect(failure({ input: 'null', output: 'int', action: deep }).code).toBe('too-deep');
  });

  it('type errors at the offending expression', () => {
    const e = failure('{"input": "string", "output": "double",\n "action": {"m.sqrt": "input"}}');
    expect(e).toBeInstanceOf(PfaSemanticError);
    expect([e.code, e.location?.pointer, e.location?.line]).toEqual(['no-signature', '/action', 2]);
  });

  it('cell values that do not fit their type', () => {
    expect(failure({ input: 'null', output: 'null', action: null, cells: { c: { type: 'int', init: 'x' } } })).toMatchObject({
      code: 'bad-value',
      location: { pointer: '/cells/c/init' },
    });
  });

  it('a fold engine without zero or merge', () => {
    expect(failure({ input: 'double', output: 'double', method: 'fold', action: 'input' }).code).toBe('missing-field');
  });
});
