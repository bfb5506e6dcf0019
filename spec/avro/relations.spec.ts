import { describe, expect, it } from 'vitest';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';
import { NoSupertypeError, accepts, narrowestSupertype } from '../../src/avro/relations.js';
import { T, typeToString } from '../../src/avro/types.js';

describe('accepts', () => {
  it('promotes numbers upward only', () => {
    expect(accepts(T.double, T.int)).toBe(true);
    expect(accepts(T.long, T.int)).toBe(true);
    expect(accepts(T.float, T.long)).toBe(true);
    expect(accepts(T.int, T.long)).toBe(false);
    expect(accepts(T.int, T.double)).toBe(false);
  });

  it('is covariant in arrays and maps', () => {
    expect(accepts(T.array(T.double), T.array(T.int))).toBe(true);
    expect(accepts(T.array(T.int), T.array(T.double))).toBe(false);
    expect(accepts(T.map(T.long), T.map(T.int))).toBe(true);
  });

  it('accepts members and narrower unions into unions, but not the reverse', () => {
    const u = T.union([T.string, T.bytes, T.null]);
    expect(accepts(u, T.string)).toBe(true);
    expect(accepts(u, T.union([T.string, T.bytes]))).toBe(true);
    expect(accepts(T.union([T.string, T.bytes]), u)).toBe(false);
    expect(accepts(T.string, T.union([T.string]))).toBe(true);
  });

  it('accepts an enum with a subset of symbols of the same name', () => {
    const a = parseSchema({ type: 'enum', name: 'E', symbols: ['one', 'two', 'three'] }, new NameRegistry());
    const b = parseSchema({ type: 'enum', name: 'E', symbols: ['two', 'one'] }, new NameRegistry());
    expect(accepts(a, b)).toBe(true);
    expect(accepts(b, a)).toBe(false);
  });

  it('treats the bottom type as acceptable anywhere', () => {
    expect(accepts(T.string, T.bottom)).toBe(true);
  });
});

describe('narrowestSupertype', () => {
  const s = (ts: Parameters<typeof narrowestSupertype>[0]) => typeToString(narrowestSupertype(ts));

  it('follows the specification table', () => {
    expect(s([T.int, T.int])).toBe('int');
    expect(s([T.int, T.long])).toBe('long');
    expect(s([T.int, T.float])).toBe('float');
    expect(s([T.long, T.double])).toBe('double');
    expect(s([T.array(T.int), T.array(T.double)])).toBe('array<double>');
    expect(s([T.string, T.null])).toBe('union<string, null>');
    expect(s([T.union([T.int, T.string]), T.union([T.string, T.null]), T.double])).toBe('union<double, string, null>');
    expect(s([T.bottom, T.string])).toBe('string');
  });

  it('refuses to combine different enums', () => {
    const names = new NameRegistry();
    const a = parseSchema({ type: 'enum', name: 'A', symbols: ['x'] }, names);
    const b = parseSchema({ type: 'enum', name: 'B', symbols: ['x'] }, names);
    expect(() => narrowestSupertype([a, b])).toThrow(NoSupertypeError);
  });
});
