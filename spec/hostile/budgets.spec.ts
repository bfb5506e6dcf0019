/**
 * Scoring budgets against hostile documents, each built here at run time: every budget stops its
 * case with its own code, the failed action's cells and pools are rolled back, and the engine
 * answers the next call.
 */
import { describe, expect, it } from 'vitest';
import { loadPfa, PfaRuntimeError, type EngineOptions } from '../../src/index.js';
import { DEFAULT_LIMITS } from '../../src/pfa/engine.js';

type Json = string | number | boolean | null | undefined | Json[] | { [key: string]: Json };

const list = (items: string): Json => ({ type: { type: 'array', items }, value: [] });
const str = (s: string): Json => ({ string: s });
/** An array of `n` one-character strings, made by the document itself. */
const strings = (n: number): Json => ({ 's.split': [{ 's.repeat': [str('x,'), n - 1] }, str(',')] });

/**
 * A document whose action counts calls in a rollback cell and a rollback pool, then runs `hostile`
 * when the input is 1; any other input is a good call that returns the count.
 */
function hostileDoc(hostile: Json[], extra: Record<string, Json> = {}, options: Record<string, Json> = {}): object {
  return {
    input: 'int',
    output: 'int',
    cells: { n: { type: 'int', init: 0, rollback: true } },
    pools: { seen: { type: 'int', init: {}, rollback: true } },
    action: [
      { cell: 'n', to: { '+': [{ cell: 'n' }, 1] } },
      { pool: 'seen', path: [{ 's.int': [{ cell: 'n' }] }], to: 'input', init: 0 },
      { if: { '==': ['input', 1] }, then: hostile },
      { cell: 'n' },
    ],
    ...(Object.keys(options).length > 0 ? { options } : {}),
    ...extra,
  };
}

function codeOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PfaRuntimeError);
    return (e as PfaRuntimeError).code;
  }
  return 'no error';
}

/** Runs a good call, the hostile one (expecting `code`), then a good one again: the failure left no trace. */
function expectStopped(doc: object, code: string, options: EngineOptions = {}): void {
  const engine = loadPfa(doc, options);
  expect(engine.action(0)).toBe(1);
  expect(codeOf(() => engine.action(1))).toBe(code);
  expect(engine.action(0)).toBe(2);
  expect(Object.keys(engine.snapshot().pools.seen!)).toEqual(['1', '2']);
}

describe('allocation budget: results are sized before they are made', () => {
  it('a.permutations of 20 items (20! arrays)', () => {
    expectStopped(hostileDoc([{ let: { p: { 'a.permutations': [strings(20)] } } }]), 'allocation-limit');
  });

  it('a.combinations of 20 out of 40 items', () => {
    expectStopped(hostileDoc([{ let: { c: { 'a.combinations': [strings(40), 20] } } }]), 'allocation-limit');
  });

  it('s.repeat of a string 10^9 times', () => {
    expectStopped(hostileDoc([{ let: { s: { 's.repeat': [str('ab'), 1_000_000_000] } } }]), 'allocation-limit');
  });

  it('la.dot of a 10^5 x 1 matrix by a 1 x 10^5 one', () => {
    const doc = hostileDoc([
      {
        let: {
          col: {
            'a.map': [
              strings(100_000),
              {
                params: [{ x: 'string' }],
                ret: { type: 'array', items: 'double' },
                do: { new: [1.0], type: { type: 'array', items: 'double' } },
              },
            ],
          },
        },
      },
      {
        let: {
          row: {
            new: [{ 'a.map': [strings(100_000), { params: [{ x: 'string' }], ret: 'double', do: 1.0 }] }],
            type: { type: 'array', items: { type: 'array', items: 'double' } },
          },
        },
      },
      { let: { product: { 'la.dot': ['col', 'row'] } } },
    ]);
    expectStopped(doc, 'allocation-limit');
  });

  it('a.flatten of 10^4 copies of a 10^4-item array', () => {
    const doc = hostileDoc([
      { let: { xs: strings(10_000) } },
      {
        let: {
          all: { 'a.flatten': [{ 'a.map': ['xs', { params: [{ x: 'string' }], ret: { type: 'array', items: 'string' }, do: 'xs' }] }] },
        },
      },
    ]);
    expectStopped(doc, 'allocation-limit');
  });

  it('a map grown one key at a time in a loop (every copy counts)', () => {
    const doc = hostileDoc([
      { let: { m: { type: { type: 'map', values: 'int' }, value: {} }, i: 0 } },
      {
        while: { '<': ['i', 1_000_000] },
        do: [{ set: { m: { 'map.add': ['m', { 's.int': ['i'] }, 'i'] } } }, { set: { i: { '+': ['i', 1] } } }],
      },
    ]);
    // Copying a map costs more time per entry than an array item: under the default budgets the
    // clock may stop it first, so the allocation budget is lowered to keep this case about it.
    expectStopped(doc, 'allocation-limit', { maxAllocation: 1_000_000 });
  });

  it('a quadratic while: an array rebuilt by a.append on every iteration', () => {
    const doc = hostileDoc([
      { let: { a: list('int'), i: 0 } },
      { while: { '<': ['i', 10_000_000] }, do: [{ set: { a: { 'a.append': ['a', 'i'] } } }, { set: { i: { '+': ['i', 1] } } }] },
    ]);
    // Under the defaults this meets the allocation budget after about 10^4 iterations, near the
    // time budget on a slow machine: a lower allocation budget keeps the case about allocation.
    expectStopped(doc, 'allocation-limit', { maxAllocation: 1_000_000 });
  });

  it('a string doubled until the VM would refuse it', () => {
    const doc = hostileDoc([
      { let: { s: str('x'), i: 0 } },
      { while: { '<': ['i', 64] }, do: [{ set: { s: { 's.concat': ['s', 's'] } } }, { set: { i: { '+': ['i', 1] } } }] },
    ]);
    expectStopped(doc, 'allocation-limit');
  });

  it('is checked before allocating: a 10^12-element request fails without the memory', () => {
    // 20! * 21 elements would never fit: failing at all (instead of crashing the process) shows the
    // size was computed first.
    const engine = loadPfa({ input: { type: 'array', items: 'int' }, output: 'int', action: { 'a.len': { 'a.permutations': 'input' } } });
    expect(codeOf(() => engine.action(Array.from({ length: 20 }, (_, i) => i)))).toBe('allocation-limit');
    expect(engine.action([1, 2, 3])).toBe(6);
  });
});

describe('step and time budgets', () => {
  it('a loop past the step budget', () => {
    const doc = hostileDoc([{ let: { i: 0 } }, { while: true, do: { set: { i: { '+': ['i', 1] } } } }]);
    expectStopped(doc, 'loop-limit', { maxLoopSteps: 100_000 });
  });

  it('library work counts against the step budget: sorting a large array in a loop', () => {
    const doc = hostileDoc([
      { let: { xs: strings(100_000), i: 0 } },
      { while: { '<': ['i', 1000] }, do: [{ let: { s: { 'a.sort': ['xs'] } } }, { set: { i: { '+': ['i', 1] } } }] },
    ]);
    // 1000 iterations are far below the step budget; the sorts' comparisons are not.
    expectStopped(doc, 'loop-limit', { maxAllocation: Number.MAX_SAFE_INTEGER, timeout: 0 });
  });

  it('the deadline is checked inside library work, not only every 1024 loop iterations', () => {
    // Few iterations, each a large sort: only the sorts' own charges can look at the clock.
    const doc = hostileDoc([
      { let: { xs: strings(200_000), i: 0 } },
      { while: { '<': ['i', 1_000_000] }, do: [{ let: { s: { 'a.sort': ['xs'] } } }, { set: { i: { '+': ['i', 1] } } }] },
    ]);
    expectStopped(doc, 'timeout', { timeout: 30, maxLoopSteps: Number.MAX_SAFE_INTEGER, maxAllocation: Number.MAX_SAFE_INTEGER });
  });

  it('an endless loop meets the default time budget when the host lifts the step budget', () => {
    const doc = hostileDoc([{ let: { i: 0 } }, { while: true, do: { set: { i: { '+': ['i', 1] } } } }]);
    expectStopped(doc, 'timeout', { 'timeout.action': 30, maxLoopSteps: Number.MAX_SAFE_INTEGER });
  });
});

describe('recursion and the stack', () => {
  const fcns = (body: Json): Record<string, Json> => ({ fcns: { f: { params: [{ n: 'int' }], ret: 'int', do: body } } });
  /** f(n) = 0 if n <= 0, else f(n - 1) wrapped in `pad` additions (a bigger JS stack frame per level). */
  const recursive = (pad: number): Json => {
    let call: Json = { 'u.f': [{ '-': ['n', 1] }] };
    for (let i = 0; i < pad; i++) call = { '+': [0, call] };
    return { if: { '<=': ['n', 0] }, then: 0, else: call };
  };

  for (const backend of ['specialized', 'closures'] as const) {
    it(`a recursion to the default depth fits the stack (${backend})`, () => {
      const engine = loadPfa({ input: 'int', output: 'int', action: { 'u.f': ['input'] }, ...fcns(recursive(0)) }, { backend });
      expect(engine.action(DEFAULT_LIMITS.maxCallDepth - 1)).toBe(0);
      expect(codeOf(() => engine.action(DEFAULT_LIMITS.maxCallDepth + 1))).toBe('recursion-depth');
    });

    it(`endless recursion stops with recursion-depth, and try does not catch it (${backend})`, () => {
      const doc = hostileDoc([{ try: [{ 'u.f': [5] }] }], fcns({ '+': [1, { 'u.f': ['n'] }] }));
      expectStopped(doc, 'recursion-depth', { backend });
    });

    it(`big frames that exhaust the stack below the depth limit stop with stack-overflow, which try does not catch (${backend})`, () => {
      const doc = hostileDoc([{ try: [{ 'u.f': [900] }] }], fcns(recursive(200)));
      expectStopped(doc, 'stack-overflow', { backend, maxCallDepth: 100_000 });
    });
  }

  it('deep values: comparing 2 x 10^5-deep linked lists stops at the value depth limit', () => {
    const node = { type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'] }] };
    const doc = hostileDoc([
      { let: { a: { type: node, value: { next: null } }, i: 0 } },
      { while: { '<': ['i', 200_000] }, do: [{ set: { a: { new: { next: 'a' }, type: 'Node' } } }, { set: { i: { '+': ['i', 1] } } }] },
      { let: { same: { '==': ['a', 'a'] } } },
    ]);
    expectStopped(doc, 'too-deep');
  });
});

describe('the host owns the budgets', () => {
  const loop = (n: number): Json[] => [{ let: { i: 0 } }, { while: { '<': ['i', n] }, do: { set: { i: { '+': ['i', 1] } } } }];

  it("a document's options cannot raise the host's step limit", () => {
    expectStopped(hostileDoc(loop(5000), {}, { maxLoopSteps: 1e12 }), 'loop-limit', { maxLoopSteps: 1000 });
  });

  it("a document's options cannot raise the default allocation limit", () => {
    expectStopped(hostileDoc([{ let: { s: { 's.repeat': [str('ab'), 40_000_000] } } }], {}, { maxAllocation: 1e12 }), 'allocation-limit');
  });

  it("a document's options cannot raise or lift the host's time limit", () => {
    const endless = [{ let: { i: 0 } }, { while: true, do: { set: { i: { '+': ['i', 1] } } } }];
    expectStopped(hostileDoc(endless, {}, { timeout: 0 }), 'timeout', { timeout: 30, maxLoopSteps: Number.MAX_SAFE_INTEGER });
    expectStopped(hostileDoc(endless, {}, { 'timeout.action': 1e9 }), 'timeout', { timeout: 30, maxLoopSteps: Number.MAX_SAFE_INTEGER });
  });

  it("a document's options may lower the host's limits", () => {
    expectStopped(hostileDoc(loop(500), {}, { maxLoopSteps: 100 }), 'loop-limit');
    expectStopped(hostileDoc([{ let: { s: { 's.repeat': [str('ab'), 1000] } } }], {}, { maxAllocation: 100 }), 'allocation-limit');
    const deep = {
      fcns: { f: { params: [{ n: 'int' }], ret: 'int', do: { if: { '<=': ['n', 0] }, then: 0, else: { 'u.f': [{ '-': ['n', 1] }] } } } },
    };
    expectStopped(hostileDoc([{ 'u.f': [50] }], deep, { maxCallDepth: 10 }), 'recursion-depth');
  });

  it('the budgets are per call: a call just under them is followed by another', () => {
    const engine = loadPfa(hostileDoc(loop(900)), { maxLoopSteps: 1000 });
    for (let i = 0; i < 3; i++) expect(engine.action(1)).toBe(i + 1);
  });

  it('a rejected option value is an initialization error', () => {
    expect(() => loadPfa(hostileDoc([], {}, { maxLoopSteps: -1 }))).toThrow(/maxLoopSteps must be a non-negative number/);
  });
});
