import { describe, expect, it } from 'vitest';
import { checkPfaSource, loadPfa } from '../../src/index.js';
import { parseSource } from '../../src/pfa/source.js';

function failure(source: string | object): { code: string | number; location?: { pointer?: string } } {
  try {
    checkPfaSource(source);
  } catch (e) {
    return e as never;
  }
  throw new Error('expected the document to be rejected');
}

describe('locator marks ("@")', () => {
  const marked = {
    '@': 'model.py line 1',
    input: { '@': 'line 2', type: 'record', name: 'In', fields: [{ '@': 'line 3', name: 'a', type: 'int' }] },
    output: 'int',
    cells: { c: { '@': 'line 5', type: { '@': 'line 6', type: 'map', values: 'int' }, init: { '@': 'line 7', k: 10 } } },
    pools: { p: { '@': 'line 8', type: 'int', init: { '@': 'line 9', q: 1 } } },
    fcns: { f: { '@': 'line 10', params: [{ x: 'int' }], ret: 'int', do: { '@': 'line 11', '*': ['x', 2] } } },
    action: [
      { '@': 'line 13', let: { '@': 'line 13', y: { '@': 'line 13', 'u.f': [{ '@': 'line 13', attr: 'input', path: [['a']] }] } } },
      {
        '@': 'line 14',
        if: { '@': 'l', '>': ['y', 0] },
        then: { '@': 'l', '+': ['y', { cell: 'c', path: [['k']], '@': 'l' }] },
        else: { '@': 'l', int: 0 },
      },
    ],
  };

  it('are accepted and ignored everywhere: top level, schemas, embedded data, functions, expressions', () => {
    const e = loadPfa(marked);
    expect(e.action({ a: 4 })).toBe(18);
    expect(e.snapshot()).toEqual({ cells: { c: { k: 10 } }, pools: { p: { q: 1 } } });
  });

  it('in text documents too, where PrettyPFA writes them', () => {
    const e = loadPfa(JSON.stringify(marked));
    expect(e.action({ a: 1 })).toBe(12);
  });

  it('in text with the name escaped, or only one of them', () => {
    expect(loadPfa(JSON.stringify(marked).replaceAll('"@"', '"\\u0040"')).action({ a: 1 })).toBe(12);
    const one = {
      input: 'int',
      output: 'int',
      cells: { c: { type: { type: 'map', values: 'int' }, init: { '@': 'x', k: 1 } } },
      action: 'input',
    };
    expect(loadPfa(JSON.stringify(one)).snapshot().cells).toEqual({ c: { k: 1 } });
    expect(loadPfa(JSON.stringify(one).replace('"@"', '"\\u0040"')).snapshot().cells).toEqual({ c: { k: 1 } });
  });

  it("leave the caller's document untouched", () => {
    const copy = JSON.parse(JSON.stringify(marked));
    loadPfa(copy);
    expect(copy).toEqual(marked);
  });

  it('must be strings: another value is not a mark', () => {
    expect(failure({ '@': 3, input: 'int', output: 'int', action: 'input' }).code).toBe('unknown-field');
    expect(failure({ input: 'int', output: 'int', action: { '@': 3, '+': [1, 2] } })).toMatchObject({
      code: 'bad-field',
      location: { pointer: '/action/@' },
    });
  });
});

describe('number literals', () => {
  const typeOfX = (literal: string): string => {
    // x is declared from the literal, then given a double: only a double x accepts it.
    try {
      checkPfaSource(`{"input": "null", "output": "null", "action": [{"let": {"x": ${literal}}}, {"set": {"x": 0.5}}]}`);
      return 'double';
    } catch (e) {
      expect((e as { code: string }).code).toBe('type-mismatch');
      return 'not double';
    }
  };

  it('a JSON number with a decimal point or an exponent is a double, whatever its value', () => {
    expect(typeOfX('0.0')).toBe('double');
    expect(typeOfX('1.0')).toBe('double');
    expect(typeOfX('-2.000')).toBe('double');
    expect(typeOfX('1e3')).toBe('double');
    expect(typeOfX('1E+2')).toBe('double');
    expect(typeOfX('2.5e1')).toBe('double');
    expect(typeOfX('0.25')).toBe('double');
  });

  it('integers stay int, or long by size', () => {
    expect(typeOfX('1')).toBe('not double');
    expect(typeOfX('-7')).toBe('not double');
    const e = loadPfa('{"input": "null", "output": "long", "action": {"+": [3000000000, 1]}}');
    expect(e.action(null)).toBe(3000000001n);
    expect(loadPfa('{"input": "null", "output": "int", "action": {"+": [2, 1]}}').action(null)).toBe(3);
  });

  it("the tutorial's style of document loads and computes in doubles", () => {
    const e = loadPfa(
      '{"input": "double", "output": "double", "action": [{"let": {"acc": 0.0}}, {"set": {"acc": {"+": ["acc", "input"]}}}, {"*": ["acc", 2.0]}]}',
    );
    expect(e.action(1.25)).toBe(2.5);
  });

  it('YAML documents keep the distinction too', () => {
    const e = loadPfa('input: "null"\noutput: double\naction:\n  - let: {x: 1.0}\n  - set: {x: 0.5}\n  - {"+": [x, 1e1]}\n');
    expect(e.action(null)).toBe(10.5);
    expect(() => checkPfaSource('input: "null"\noutput: "null"\naction:\n  - let: {x: 1}\n  - set: {x: 0.5}\n')).toThrow(/cannot assign/);
  });

  it('values elsewhere (cells, typed literals, options) are read as before', () => {
    const e = loadPfa(
      '{"input": "null", "output": "int", "cells": {"c": {"type": "int", "init": 3}}, "options": {"timeout": 1000.0}, "action": {"+": [{"cell": "c"}, {"int": 2}]}}',
    );
    expect(e.action(null)).toBe(5);
  });

  it('parseSource reports where integral doubles were written, and returns plain numbers', () => {
    const doubles = new Set<string>();
    const json = parseSource('{"a": [1, 1.0, 2.5, 1e2], "b~/c": 3.00, "d": "1.0"}', undefined, doubles);
    expect(json).toEqual({ a: [1, 1, 2.5, 100], 'b~/c': 3, d: '1.0' });
    expect([...doubles].sort()).toEqual(['/a/1', '/a/3', '/b~0~1c']);
    expect(parseSource('{"a": 1.0}')).toEqual({ a: 1 });
  });
});
