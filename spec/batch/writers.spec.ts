/**
 * CSV records written by hand where csv-stringify would not quote any cell, and by csv-stringify
 * otherwise: the same text as csv-stringify gives for every record, quoted or not.
 */
import { stringify as csvText } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { csvLine } from '../../src/batch/writers.js';
import { seededRandom } from '../helpers/random.js';

const r = seededRandom(5);
const CELLS = ['', '0', '-1.5', '1e-300', 'abc', 'é', ' x ', 'a,b', 'say "hi"', 'two\nlines', 'cr\r', '"', ',', "it's", '\t', 'NaN'];

describe('csvLine', () => {
  it('writes every record as csv-stringify does', () => {
    let quoted = 0;
    for (let k = 0; k < 2000; k++) {
      const cells = Array.from({ length: Math.floor(r() * 6) }, () => CELLS[Math.floor(r() * CELLS.length)]!);
      const want = csvText([cells]);
      if (want !== `${cells.join(',')}\n`) quoted++;
      expect(csvLine(cells), JSON.stringify(cells)).toBe(want);
    }
    // Both ways must be reached.
    expect(quoted).toBeGreaterThan(200);
    expect(quoted).toBeLessThan(1800);
  });
});
