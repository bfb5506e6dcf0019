import { describe, expect, it } from 'vitest';
import { NameRegistry, type SchemaError, parseSchema, toSchemaJson } from '../../src/avro/schema.js';
import type { RecordType } from '../../src/avro/types.js';

const parse = (json: unknown, names = new NameRegistry()) => parseSchema(json, names);

describe('parseSchema', () => {
  it('parses primitives in both forms', () => {
    expect(parse('int').kind).toBe('int');
    expect(parse({ type: 'double' }).kind).toBe('double');
  });

  it('qualifies names with namespaces and resolves references', () => {
    const names = new NameRegistry();
    const t = parse(
      {
        type: 'record',
        name: 'A',
        namespace: 'com.x',
        fields: [
          { name: 'b', type: { type: 'enum', name: 'E', symbols: ['p', 'q'] } },
          { name: 'c', type: 'E' },
        ],
      },
      names,
    ) as RecordType;
    expect(t.fullName).toBe('com.x.A');
    expect(names.has('com.x.E')).toBe(true);
    expect(t.fields[1]!.type).toBe(t.fields[0]!.type);
  });

  it('supports recursive records', () => {
    const t = parse({ type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'] }] }) as RecordType;
    const next = t.fields[0]!.type;
    expect(next.kind === 'union' && next.types[1]).toBe(t);
  });

  it('resolves a name defined later in the document when it is pending', () => {
    const names = new NameRegistry();
    const later = { type: 'fixed', name: 'F', size: 4 };
    names.addPending('F', later, undefined);
    expect(parse({ type: 'array', items: 'F' }, names)).toEqual({
      kind: 'array',
      items: expect.objectContaining({ fullName: 'F', size: 4 }),
    });
    expect(parse(later, names)).toBe(names.get('F'));
  });

  it('reports invalid schemas with a path', () => {
    const bad = (json: unknown) => {
      try {
        parse(json);
      } catch (e) {
        return [(e as SchemaError).message, (e as SchemaError).path];
      }
      return undefined;
    };
    expect(bad('Nope')?.[0]).toMatch(/unknown type name/);
    expect(bad({ type: 'record', name: '1bad', fields: [] })?.[0]).toMatch(/invalid name/);
    expect(
      bad({
        type: 'record',
        name: 'R',
        fields: [
          { name: 'a', type: 'int' },
          { name: 'a', type: 'int' },
        ],
      }),
    ).toEqual(['duplicate field a', '/fields/1/name']);
    expect(bad(['int', 'int'])?.[0]).toMatch(/twice/);
    expect(bad({ type: 'enum', name: 'E', symbols: ['a', 'a'] })?.[0]).toMatch(/unique/);
    expect(bad({ type: 'array' })?.[0]).toMatch(/items/);
  });

  it('rejects defining a name twice', () => {
    const names = new NameRegistry();
    parse({ type: 'fixed', name: 'F', size: 1 }, names);
    expect(() => parse({ type: 'fixed', name: 'F', size: 2 }, names)).toThrow(/more than once/);
  });
});

describe('toSchemaJson', () => {
  it('writes named types once and refers to them by name after', () => {
    const t = parse({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: { type: 'enum', name: 'E', symbols: ['x'] } },
        { name: 'b', type: { type: 'array', items: 'E' } },
      ],
    });
    expect(toSchemaJson(t)).toEqual({
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: { type: 'enum', name: 'E', symbols: ['x'] } },
        { name: 'b', type: { type: 'array', items: 'E' } },
      ],
    });
  });
});
