import { describe, expect, it } from 'vitest';
import { T } from '../../src/avro/types.js';
import { CellError, csvCell } from '../../src/io/csv-values.js';

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
