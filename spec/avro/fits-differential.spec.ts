/**
 * One verdict for every input check: random Avro types, random values of them, and those values
 * mutated into near misses (helpers/random-avro.ts), checked by the generated predicate (`fits`),
 * the closure validator it is measured against (validate.ts) and the server's request check, which
 * must all answer alike, and as the reference does: `isValueOf` for runtime values, `fromJson`
 * (defaults filled in) for Avro's JSON encoding.
 */
import { describe, expect, it } from 'vitest';
import { fits } from '../../src/avro/fits.js';
import { toJson } from '../../src/avro/json.js';
import { fromPlainJson, toPlainJson } from '../../src/avro/plain-json.js';
import { NameRegistry, parseSchema } from '../../src/avro/schema.js';
import { validator } from '../../src/avro/validate.js';
import { isValueOf } from '../../src/avro/values.js';
import { errorAnswer, requestCheck, ServedModel } from '../../src/io/served-model.js';
import { loadModel } from '../../src/model.js';
import { JSON_NEAR, RUNTIME_NEAR, mutate, randomTypes, reads, tagNames, valueOfType } from '../helpers/random-avro.js';
import { seededRandom } from '../helpers/random.js';

const TYPES = 250;
const VALUES = 24;

describe("fits, the closure validator and the server's request check", () => {
  it('answer alike on random runtime values and near misses, as isValueOf does', () => {
    const r = seededRandom(1);
    const verdicts = [0, 0];
    for (const { t } of randomTypes(11, TYPES)) {
      const ok = fits(t);
      const problem = validator(t);
      const tags = tagNames(t);
      for (let i = 0; i < VALUES; i++) {
        const v = i % 3 === 0 ? valueOfType(r, t) : mutate(r, valueOfType(r, t), RUNTIME_NEAR, tags);
        const expected = isValueOf(t, v);
        const p = problem(v);
        if (ok(v) !== expected || (p === undefined) !== expected)
          expect({ type: t, value: v, fits: ok(v), problem: p }).toEqual({
            type: t,
            value: v,
            fits: expected,
            problem: expected ? undefined : p,
          });
        verdicts[expected ? 1 : 0]!++;
      }
    }
    // Both answers are common: the mutations are near misses, not noise.
    expect(Math.min(...verdicts)).toBeGreaterThan((TYPES * VALUES) / 5);
  });

  it('answer alike on random JSON values and near misses, as fromJson reads them', () => {
    const r = seededRandom(2);
    const verdicts = [0, 0];
    for (const { t } of randomTypes(12, TYPES)) {
      const ok = fits(t, 'json');
      const problem = validator(t, 'json');
      const request = requestCheck(t);
      const tags = tagNames(t);
      for (let i = 0; i < VALUES; i++) {
        const json = toJson(t, valueOfType(r, t));
        const v = i % 3 === 0 ? json : mutate(r, json, JSON_NEAR, tags);
        const expected = reads(t, v);
        const answers = {
          fits: ok(v),
          validator: problem(v) === undefined,
          request: request.ok(v),
          requestProblem: request.problem(v) === undefined,
        };
        if (Object.values(answers).some((a) => a !== expected))
          expect({ type: t, value: v, ...answers }).toEqual({
            type: t,
            value: v,
            fits: expected,
            validator: expected,
            request: expected,
            requestProblem: expected,
          });
        verdicts[expected ? 1 : 0]!++;
      }
    }
    expect(Math.min(...verdicts)).toBeGreaterThan((TYPES * VALUES) / 5);
  });

  it('answer alike past the nesting limit', () => {
    const t = parseSchema({ type: 'record', name: 'L', fields: [{ name: 'next', type: ['null', 'L'] }] }, new NameRegistry());
    const chain = (n: number, tagged: boolean): unknown => {
      let v: unknown = null;
      for (let i = 0; i < n; i++) v = { next: tagged && v !== null ? { L: v } : v };
      return v;
    };
    for (const n of [999, 1000, 1001]) {
      const v = chain(n, false);
      expect([n, fits(t)(v), validator(t)(v) === undefined]).toEqual([n, isValueOf(t, v), isValueOf(t, v)]);
    }
    // In JSON a tagged branch is one level more, as fromJson counts it.
    for (const n of [499, 500, 501]) {
      const v = chain(n, true);
      expect([n, fits(t, 'json')(v), validator(t, 'json')(v) === undefined, requestCheck(t).ok(v)]).toEqual([
        n,
        reads(t, v),
        reads(t, v),
        reads(t, v),
      ]);
    }
  });

  it('answer as the running server does on plain records', async () => {
    const r = seededRandom(3);
    let refused = 0;
    for (const { json, t } of randomTypes(13, TYPES).slice(0, 40)) {
      const served = new ServedModel(loadModel({ input: json, output: 'null', action: [null] } as object), 'm', '1');
      const tags = tagNames(t);
      for (let i = 0; i < 8; i++) {
        let plain: unknown;
        try {
          plain = toPlainJson(t, mutate(r, toJson(t, valueOfType(r, t)), JSON_NEAR, tags));
        } catch {
          continue;
        }
        const tagged = fromPlainJson(t, plain);
        let invalid = false;
        try {
          await served.score([plain]);
        } catch (e) {
          invalid = errorAnswer(e)?.body.code === 'invalid-record';
        }
        expect([plain, invalid]).toEqual([plain, !fits(t, 'json')(tagged)]);
        if (invalid) refused++;
      }
    }
    expect(refused).toBeGreaterThan(20);
  });
});
