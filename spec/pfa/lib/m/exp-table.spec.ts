import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED, tableSource } from '../../../../scripts/build-exp-table.js';
import { exp, expTable, powersOfTwo } from '../../../../src/pfa/lib/m/_exp.js';

describe("exp's table of 2^(j/256)", () => {
  it('is committed as computed in fixed point, bit for bit', () => {
    const computed = powersOfTwo();
    const read = expTable();
    expect(read.length).toBe(512);
    for (let i = 0; i < computed.length; i++) expect(Object.is(read[i], computed[i]), `entry ${i}`).toBe(true);
    expect(readFileSync(GENERATED, 'utf8')).toBe(tableSource(computed));
  });

  it('holds what exp reads: 2^(1/2) is Math.SQRT2, exp(ln 2) is 2', () => {
    expect(expTable()[2 * 128]).toBe(Math.SQRT2);
    expect(exp(0)).toBe(1);
    expect(exp(Math.LN2)).toBe(2);
  });
});
