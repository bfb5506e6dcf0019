/**
 * Property: whatever whitespace a writer puts between the tokens of a suite, the reader yields
 * the tests a whole-document parser sees.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSuite } from '../../src/conformance/pfa-suite.js';
import { parseSource } from '../../src/pfa/source.js';
import { tempDir, writeSuite } from './suite-layout.js';

const SPACE = [' ', '\n', '\t', '\r\n', '  ', ''];

/** JSON text with a whitespace run (picked from `gaps`, cycling) around every token. */
function spaced(v: unknown, gaps: number[]): string {
  let k = 0;
  const gap = () => SPACE[gaps[k++ % gaps.length]! % SPACE.length]!;
  const write = (x: unknown): string => {
    if (Array.isArray(x)) return `[${gap()}${x.map((y) => `${write(y)}${gap()}`).join(`,${gap()}`)}]`;
    if (typeof x === 'object' && x !== null)
      return `{${gap()}${Object.entries(x)
        .map(([key, y]) => `${JSON.stringify(key)}${gap()}:${gap()}${write(y)}${gap()}`)
        .join(`,${gap()}`)}}`;
    return JSON.stringify(x);
  };
  return `${gap()}${write(v)}${gap()}`;
}

const trial = fc.record({ sample: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), result: fc.jsonValue({ maxDepth: 3 }) });
const test = fc.record({
  function: fc.string(),
  engine: fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })),
  trials: fc.array(trial, { minLength: 1, maxLength: 3 }),
});

describe('PFA test file reader, any whitespace layout', () => {
  const dir = tempDir();
  it('yields the tests a whole-document parse gives', () => {
    let n = 0;
    fc.assert(
      fc.property(
        fc.array(test, { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(50), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        (tests, gaps, gz) => {
          const suite = { 'pfa-version': '0.8.1', 'pfa-tests': tests };
          const path = writeSuite(dir, `t${n++}.json${gz ? '.gz' : ''}`, spaced(suite, gaps));
          const want = tests.map((t) => parseSource(JSON.stringify(t)));
          expect([...readSuite(path)]).toEqual(want);
        },
      ),
      { numRuns: 200 },
    );
  });
});
