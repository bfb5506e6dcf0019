/**
 * CSV records written by hand where csv-stringify would not quote any cell, and by csv-stringify
 * otherwise: the same text as csv-stringify gives for every record, quoted or not. Results in a
 * model's plain wire encoding written as they are, without the walk that removes union tags.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { stringify as csvText } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';
import { csvLine, resultEncoder } from '../../src/batch/writers.js';
import { wireScorer, wireTypes } from '../../src/io/wire.js';
import { loadModel } from '../../src/model.js';
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

describe('results written from the wire encoding', () => {
  const text = (e: (v: unknown) => unknown, v: unknown): string => {
    const x = e(v);
    return typeof x === 'string' ? x : csvLine(x as string[]);
  };

  it("writes a PMML model's plain results as the tag-removing walk did, in CSV and JSON Lines, with copied columns too", () => {
    const model = loadModel(readFileSync(fileURLToPath(new URL('../../examples/iris-tree.pmml', import.meta.url)), 'utf8'));
    const wire = wireTypes(model);
    expect(wire.tagged).toBe(false);
    const score = wireScorer(model);
    const lengths = [1.4, 4.5, 6.0, null];
    const results = lengths.map((l) => score({ 'sepal length': 5, 'sepal width': 3, 'petal length': l, 'petal width': 1.5 }));
    for (const format of ['csv', 'jsonl'] as const) {
      const walked = resultEncoder(format, wire.output, [], true).encode;
      const asIs = resultEncoder(format, wire.output, [], false).encode;
      for (const v of results) expect(text(asIs, v)).toBe(text(walked, v));
      const copiedWalked = resultEncoder(format, wire.output, ['id'], true).encode;
      const copiedAsIs = resultEncoder(format, wire.output, ['id'], false).encode;
      for (const [i, v] of results.entries()) {
        const row = { copied: { id: `r${i}` }, result: v };
        expect(text(copiedAsIs, row)).toBe(text(copiedWalked, row));
      }
    }
  });

  it('leaves a plain value that looks like a union tag as it is', () => {
    const t = parseSchema(
      { type: 'record', name: 'R', fields: [{ name: 'm', type: ['null', { type: 'map', values: 'string' }] }] },
      new NameRegistry(),
    );
    // A map whose one key is "map": in Avro JSON that is the union's branch, in plain JSON a key.
    expect(resultEncoder('jsonl', t, [], false).encode({ m: { map: 'x' } })).toBe('{"m":{"map":"x"}}\n');
    expect(resultEncoder('jsonl', t, [], true).encode({ m: { map: { map: 'x' } } })).toBe('{"m":{"map":"x"}}\n');
  });
});
