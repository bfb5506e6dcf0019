import { describe, expect, it } from 'vitest';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';
import { T } from '../../src/avro/types.js';
import { CellError, cellReader, csvCell, csvRowReader } from '../../src/io/csv-values.js';

describe('csvCell', () => {
  it('reads JSON cells exactly and bounded, as JSON lines are', () => {
    expect(csvCell(T.array(T.long), '[9007199254740993, 1]')).toEqual([9007199254740993n, 1]);
    expect(csvCell(T.array(T.double), '[0.1234567890123456789]')).toEqual([0.1234567890123456789]);
    expect(csvCell(T.long, '-9223372036854775808')).toBe(-9223372036854775808n);
    expect(() => csvCell(T.array(T.double), `${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toThrow(CellError);
    expect(() => csvCell(T.array(T.double), '[1,')).toThrow(/expected JSON for array/);
  });

  it('reads non-finite names as doubles, and not names an object inherits', () => {
    expect(csvCell(T.double, ' -Infinity ')).toBe(-Infinity);
    for (const s of ['constructor', 'toString', '__proto__']) expect(() => csvCell(T.double, s)).toThrow(CellError);
  });
});

describe('cellReader', () => {
  const outcome = (read: () => unknown): { value: unknown } | { error: string } => {
    try {
      return { value: read() };
    } catch (e) {
      return { error: `${(e as Error).constructor.name}: ${(e as Error).message}` };
    }
  };
  const CELLS = [
    '',
    ' ',
    '\u00a0',
    '0',
    '-0',
    '+0',
    '1.5',
    ' 2 ',
    '1e400',
    '-1e-400',
    '.5',
    '5.',
    '1_0',
    '0x1F',
    '0b11',
    'NaN',
    'nan',
    ' Inf ',
    '+infinity',
    '-Infinity',
    'Infinity',
    'abc',
    'true',
    'FALSE',
    '1',
    '12345678901234567890',
    '[1, 2]',
    'null',
    'constructor',
  ];
  const TYPES = [
    T.double,
    T.float,
    T.string,
    T.int,
    T.long,
    T.boolean,
    T.union([T.null, T.double]),
    T.union([T.null, T.float]),
    T.union([T.null, T.string]),
    T.union([T.null, T.int]),
    T.union([T.double, T.null]),
    T.union([T.null, T.double, T.string]),
    T.array(T.double),
  ];

  it('reads every cell as csvCell does, to the same value (-0 and NaN included) or the same error', () => {
    for (const t of TYPES) {
      const read = cellReader(t);
      for (const cell of CELLS) {
        const quick = outcome(() => read(cell));
        const plain = outcome(() => csvCell(t, cell));
        expect(quick, `${JSON.stringify(t)} ${JSON.stringify(cell)}`).toEqual(plain);
        if ('value' in quick && 'value' in plain && typeof plain.value !== 'object') expect(Object.is(quick.value, plain.value)).toBe(true);
      }
    }
  });

  it('reads rows by their columns as the csvCell reader does', () => {
    const t = parseSchema(
      {
        type: 'record',
        name: 'R',
        fields: [
          { name: 'x', type: ['null', 'double'] },
          { name: 's', type: ['null', 'string'] },
          { name: 'n', type: 'int' },
        ],
      },
      new NameRegistry(),
    );
    const header = ['s', 'other', 'x', 'n'];
    const quick = csvRowReader(t, header);
    const plain = csvRowReader(t, header, (type) => (cell) => csvCell(type, cell));
    for (const row of [['a', 'z', '1.5', '3'], ['', '', '', '4'], ['b', 'z', ' -0 ', '5'], ['c']]) expect(quick(row)).toEqual(plain(row));
    expect(() => quick(['a', 'z', 'oops', '1'])).toThrow('column x: expected a value of the union, got "oops"');
  });
});
