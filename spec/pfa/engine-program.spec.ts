import { afterEach, describe, expect, it, vi } from 'vitest';
import { compilePfa, loadPfa, PfaEngine, Program } from '../../src/index.js';
import { Compiler } from '../../src/pfa/compile/compiler.js';
import { checkPfaSource } from '../../src/pfa/load.js';
import { thrown } from '../thrown.js';

/** A counter cell, a pool, a random draw and a model in a constant cell: state of every kind. */
const STATEFUL = {
  name: 'stateful',
  input: { type: 'array', items: 'double' },
  output: {
    type: 'record',
    name: 'Out',
    fields: [
      { name: 'n', type: 'int' },
      { name: 'seen', type: 'int' },
      { name: 'r', type: 'double' },
      { name: 'y', type: 'double' },
    ],
  },
  cells: {
    n: { type: 'int', init: 0 },
    model: {
      type: {
        type: 'record',
        name: 'M',
        fields: [
          { name: 'coeff', type: { type: 'array', items: 'double' } },
          { name: 'const', type: 'double' },
        ],
      },
      init: { coeff: [1, 2, 3], const: 0.5 },
    },
  },
  pools: { seen: { type: 'int', init: {} } },
  action: [
    { cell: 'n', to: { '+': [{ cell: 'n' }, 1] } },
    { pool: 'seen', path: [{ string: 'x' }], to: { params: [{ v: 'int' }], ret: 'int', do: { '+': ['v', 1] } }, init: 0 },
    {
      new: {
        n: { cell: 'n' },
        seen: { pool: 'seen', path: [{ string: 'x' }] },
        r: { 'rand.double': [0, 1] },
        y: { 'model.reg.linear': ['input', { cell: 'model' }] },
      },
      type: 'Out',
    },
  ],
};

describe('compilePfa and Program.instantiate', () => {
  afterEach(() => vi.restoreAllMocks());

  it('compiles once: instantiating again runs no compiler', () => {
    const body = vi.spyOn(Compiler.prototype, 'body');
    const program = compilePfa(STATEFUL);
    const compiled = body.mock.calls.length;
    expect(compiled).toBeGreaterThan(0);
    const engines = [program.instantiate(), program.instantiate(), program.instantiate({ randseed: 3 })];
    expect(body.mock.calls.length).toBe(compiled);
    expect(engines.every((e) => e instanceof PfaEngine)).toBe(true);
    // new PfaEngine(checked) compiles, as before.
    new PfaEngine(checkPfaSource(STATEFUL));
    expect(body.mock.calls.length).toBe(2 * compiled);
  });

  it('gives each engine its own cells, pools, random generator and counters', () => {
    const program = compilePfa(STATEFUL);
    const [a, b] = [program.instantiate({ randseed: 1 }), program.instantiate({ randseed: 1 })];
    const x = [1, 1, 1];
    const first = a.action(x) as { n: number; seen: number; r: number; y: number };
    a.action(x);
    const third = a.action(x) as { n: number; seen: number };
    const other = b.action(x) as { n: number; seen: number; r: number; y: number };
    expect([first.n, third.n, third.seen, other.n, other.seen]).toEqual([1, 3, 3, 1, 1]);
    expect(other.r).toBe(first.r);
    expect(other.y).toBe(6.5);
    // Back to the first engine after the second ran: its own state again.
    expect((a.action(x) as { n: number }).n).toBe(4);
    expect(a.snapshot().cells.n).toBe(4);
    expect(b.snapshot().cells.n).toBe(1);
    // And the same as an engine loaded on its own.
    expect(loadPfa(STATEFUL, { randseed: 1 }).action(x)).toEqual(first);
  });

  it('keeps two engines of one program apart when one scores from inside the other', () => {
    const doc = {
      input: 'int',
      output: 'int',
      method: 'emit',
      cells: { total: { type: 'int', init: 0 } },
      action: [
        { cell: 'total', to: { '+': [{ cell: 'total' }, 'input'] } },
        { emit: { cell: 'total' } },
        { cell: 'total', to: { '+': [{ cell: 'total' }, 100] } },
        { emit: { cell: 'total' } },
      ],
    };
    for (const backend of ['specialized', 'closures'] as const) {
      const program = compilePfa(doc, { backend });
      const inner: unknown[] = [];
      const outer: unknown[] = [];
      const b = program.instantiate({ onEmit: (v) => inner.push(v) });
      const a = program.instantiate({
        onEmit: (v) => {
          outer.push(v);
          if (v === 1) b.action(5);
        },
      });
      a.action(1);
      // b's call ran between a's two emits on b's own cell; a then went on with its own.
      expect(outer).toEqual([1, 101]);
      expect(inner).toEqual([5, 105]);
      expect([a.snapshot().cells.total, b.snapshot().cells.total]).toEqual([101, 105]);
    }
  });

  it('fixes the backend when compiling, and checks its options', () => {
    const program = compilePfa(STATEFUL, { backend: 'closures' });
    expect(program.backend).toBe('closures');
    expect(program.name).toBe('stateful');
    expect(thrown(() => program.instantiate({ backend: 'specialized' } as never))).toMatchObject({ code: 'bad-option' });
    expect(thrown(() => program.instantiate({ timout: 3 } as never))).toMatchObject({ code: 'unknown-option' });
    expect(thrown(() => compilePfa(STATEFUL, { backend: 'fast' as never }))).toMatchObject({ code: 'bad-option' });
    expect(Program.fromChecked(checkPfaSource(STATEFUL)).backend).toBe('specialized');
  });

  it('generates no code under the closure backend, compiling or instantiating', () => {
    const real = globalThis.Function;
    const refuse = (() => {
      throw new EvalError('code generation is not allowed');
    }) as unknown as FunctionConstructor;
    // A host whose Content-Security-Policy has no 'unsafe-eval' refuses `new Function` this way.
    globalThis.Function = refuse;
    try {
      expect(() => compilePfa(STATEFUL)).toThrow();
      const program = compilePfa(STATEFUL, { backend: 'closures' });
      const engine = program.instantiate({ randseed: 1 });
      expect((engine.action([1, 1, 1]) as { y: number }).y).toBe(6.5);
      expect(() => engine.action(['x'])).toThrow(/input does not match/);
    } finally {
      globalThis.Function = real;
    }
  });

  it('keeps the document without its expressions once compiled, and lets the compiler go of them', () => {
    const release = vi.spyOn(Compiler.prototype, 'release');
    for (const backend of ['specialized', 'closures'] as const) {
      const engine = compilePfa(STATEFUL, { backend }).instantiate({ randseed: 1 });
      expect(Object.keys(engine.doc)).not.toEqual(expect.arrayContaining(['action']));
      expect([...engine.doc.cells.keys()]).toEqual(['n', 'model']);
      expect(engine.doc.name).toBe('stateful');
      // The compiled code still runs (and reads every cell and pool) once the compiler let go.
      expect(engine.action([1, 1, 1])).toMatchObject({ n: 1, seen: 1, y: 6.5 });
    }
    expect(release).toHaveBeenCalledTimes(2);
    const compiler = release.mock.contexts[0] as Compiler;
    expect(() => compiler.specializeContext).toThrow(/released/);
  });

  it('reports a document error as loadPfa does', () => {
    const text = '{"input": "int", "output": "string", "action": "input"}';
    expect(thrown(() => compilePfa(text))).toMatchObject({ code: thrown(() => loadPfa(text)).code });
  });
});
