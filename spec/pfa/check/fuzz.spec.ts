/**
 * Fuzzing the checker with small documents built from a grammar of special forms, well-formed and
 * then mutated: every outcome must be a success or a TrajanError with a string code, and a
 * document the checker accepts must also load (the two give the same verdict).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TrajanError, check, checkPfaSource, loadPfa } from '../../../src/index.js';

const symbols = ['input', 'x', 'y', 'z', 'tally', 'version'];

const literal = fc.oneof(
  fc.integer({ min: -5, max: 5 }),
  fc.constantFrom(0.5, -1.25, 1e3),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(['a'], ['text']),
  fc.integer({ min: -3, max: 3 }).map((d) => ({ double: d })),
  fc.constantFrom({ long: 3 }, { float: 1.5 }, { string: 's' }),
);

const { expr } = fc.letrec<{ expr: unknown; body: unknown[]; fcn: unknown }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    literal,
    fc.constantFrom(...symbols),
    fc.record({ let: fc.dictionary(fc.constantFrom('x', 'y', 'z'), tie('expr'), { minKeys: 1, maxKeys: 2 }) }),
    fc.record({ set: fc.dictionary(fc.constantFrom('x', 'y'), tie('expr'), { minKeys: 1, maxKeys: 1 }) }),
    fc.record({ if: tie('expr'), then: tie('body'), else: tie('body') }, { requiredKeys: ['if', 'then'] }),
    fc.record(
      { cond: fc.array(fc.record({ if: tie('expr'), then: tie('body') }), { minLength: 1, maxLength: 2 }), else: tie('body') },
      { requiredKeys: ['cond'] },
    ),
    fc.record({ do: tie('body') }),
    fc.record({ do: tie('body'), until: tie('expr') }),
    fc.record({ while: tie('expr'), do: tie('body') }),
    fc.record({
      for: fc.constant({ i: 0 }),
      while: fc.constant({ '<': ['i', 2] }),
      step: fc.constant({ i: { '+': ['i', 1] } }),
      do: tie('body'),
    }),
    fc.record({ foreach: fc.constantFrom('x', 'e'), in: tie('expr'), do: tie('body') }),
    fc.record({ '+': fc.tuple(tie('expr'), tie('expr')) }),
    fc.record({ '==': fc.tuple(tie('expr'), tie('expr')) }),
    fc.record({ '&&': fc.tuple(tie('expr'), tie('expr')) }),
    fc.record({ 'a.len': fc.tuple(tie('expr')) }),
    fc.record({ 'a.map': fc.tuple(tie('expr'), tie('fcn')) }),
    fc.record({ 'u.f': fc.tuple(tie('expr')) }),
    fc.record({ error: fc.constantFrom('boom', 'bad') }),
    fc.record({ try: tie('body') }),
    fc.record({ cell: fc.constantFrom('c', 'missing'), to: fc.oneof(tie('expr'), tie('fcn')) }, { requiredKeys: ['cell'] }),
    fc.record(
      { pool: fc.constant('p'), path: fc.constant([['k']]), to: fc.oneof(tie('expr'), tie('fcn')), init: tie('expr') },
      { requiredKeys: ['pool', 'path', 'to'] },
    ),
    fc.record({ new: fc.array(tie('expr'), { maxLength: 2 }), type: fc.constant({ type: 'array', items: 'int' }) }),
    fc.record({
      cast: tie('expr'),
      cases: fc.constant([
        { as: 'int', named: 'n', do: 'n' },
        { as: 'null', named: 'n', do: 0 },
      ]),
    }),
    fc.record({ ifnotnull: fc.record({ v: tie('expr') }), then: tie('body') }),
    fc.record({ '@': fc.constant('line 1'), 'm.abs': fc.tuple(tie('expr')) }),
  ),
  body: fc.array(tie('expr'), { minLength: 1, maxLength: 3 }),
  fcn: fc.oneof(
    fc.record({
      params: fc.constantFrom([{ x: 'int' }], [{ q: 'double' }], [{ a: 'int' }, { b: 'int' }]),
      ret: fc.constantFrom('int', 'double', 'null'),
      do: tie('body'),
    }),
    fc.constantFrom({ fcn: 'u.f' }, { fcn: 'm.abs' }, { fcn: 'u.nothing' }),
  ),
}));

const documents = fc
  .record({
    method: fc.constantFrom('map', 'emit', 'fold'),
    output: fc.constantFrom('int', 'double', ['null', 'int']),
    action: fc.array(expr, { maxLength: 3 }),
    tail: fc.constantFrom('input', 0, 'x'),
    f: fc.array(expr, { maxLength: 2 }),
    version: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  })
  .map(({ method, output, action, tail, f, version }) => ({
    input: 'int',
    output,
    method,
    ...(method === 'fold' ? { zero: 0, merge: 'tallyOne' } : {}),
    ...(version !== undefined ? { version } : {}),
    cells: { c: { type: 'int', init: 0 } },
    pools: { p: { type: 'int' } },
    // Bodies end in a value of the right type, so that some documents check whatever comes before.
    fcns: { f: { params: [{ x: 'int' }], ret: 'int', do: [...f, 'x'] } },
    action: [...action, tail],
  }));

/** Sets a random member of a random container of `doc` to `value` (or deletes it): a mutated document. */
function mutate(doc: unknown, picks: readonly [number, number, unknown, boolean][]): unknown {
  const root = structuredClone(doc);
  for (const [which, key, value, remove] of picks) {
    const containers: (Record<string, unknown> | unknown[])[] = [];
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const x = stack.pop();
      if (typeof x === 'object' && x !== null) {
        containers.push(x as Record<string, unknown>);
        for (const v of Object.values(x)) stack.push(v);
      }
    }
    const target = containers[which % containers.length]!;
    const keys = Object.keys(target);
    if (keys.length === 0) continue;
    const k = keys[key % keys.length]!;
    if (remove && !Array.isArray(target)) delete (target as Record<string, unknown>)[k];
    else (target as Record<string, unknown>)[k] = value;
  }
  return root;
}

function outcome(doc: unknown): 'ok' | 'rejected' {
  try {
    checkPfaSource(doc as object);
  } catch (e) {
    if (!(e instanceof TrajanError) || typeof e.code !== 'string') throw new Error(`not a coded error: ${String(e)}`, { cause: e });
    return 'rejected';
  }
  // What checks must load (the same verdict), under both backends.
  loadPfa(doc as object, { backend: 'closures' });
  loadPfa(doc as object);
  return 'ok';
}

describe('checker fuzz', () => {
  it('well-formed documents from the grammar: success or a coded error', () => {
    const seen = { ok: 0, rejected: 0 };
    fc.assert(
      fc.property(documents, (doc) => {
        seen[outcome(doc)]++;
      }),
      { seed: 20261205, numRuns: 300 },
    );
    // The grammar is not vacuous: some documents pass, some fail.
    expect(seen.ok).toBeGreaterThan(10);
    expect(seen.rejected).toBeGreaterThan(30);
  });

  it('mutated documents: success or a coded error', () => {
    const picks = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.boolean()), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(documents, picks, (doc, p) => {
        outcome(mutate(doc, p));
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('check, which goes on after each problem, gives the verdict and the first error checkPfaSource gives', () => {
    const picks = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 2 }), fc.boolean()), { minLength: 0, maxLength: 3 });
    let several = 0;
    fc.assert(
      fc.property(documents, picks, (doc, p) => {
        const mutated = mutate(doc, p) as object;
        let first: TrajanError | undefined;
        try {
          checkPfaSource(mutated);
        } catch (e) {
          first = e as TrajanError;
        }
        const r = check(mutated);
        expect(r.ok).toBe(first === undefined);
        expect(r.problems[0] && [r.problems[0].code, r.problems[0].location.pointer]).toEqual(
          first && [first.code, first.location?.pointer],
        );
        // Going on after a problem is no defect of the checker's.
        expect(r.problems.filter((x) => x.code === 'internal-error')).toEqual([]);
        if (r.problems.length > 1) several++;
      }),
      { seed: 11, numRuns: 300 },
    );
    expect(several).toBeGreaterThan(10);
  });

  it('documents as text: success or a coded error', () => {
    fc.assert(
      fc.property(documents, fc.nat(), (doc, cut) => {
        const text = JSON.stringify(doc);
        // Integers outside strings written as decimals: some documents change type, none may crash.
        const decimals = text.replace(/([:,[]\s*-?\d+)(?=[,\]}])/g, '$1.0');
        // Whole, with decimals, or cut short (malformed JSON).
        for (const t of [text, decimals, text.slice(0, cut % text.length)]) outcome(t);
      }),
      { seed: 99, numRuns: 150 },
    );
  });
});
