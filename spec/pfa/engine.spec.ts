import { describe, expect, it } from 'vitest';
import { loadPfa } from '../../src/index.js';

describe.each(['specialized', 'closures'] as const)('PfaEngine calls (%s backend)', (backend) => {
  it('gives a host that re-enters the engine from a callback a frame of its own', () => {
    const seen: unknown[] = [];
    const engine = loadPfa(
      {
        input: 'int',
        output: 'int',
        method: 'emit',
        action: [{ let: { x: { '*': ['input', 10] } } }, { emit: 'x' }, { emit: { '+': ['x', 'input'] } }],
      },
      {
        backend,
        onEmit: (v) => {
          seen.push(v);
          if (v === 10) engine.action(2);
        },
      },
    );
    engine.action(1);
    // The nested call (input 2) ran between the outer call's two emits, which still saw x = 10.
    expect(seen).toEqual([10, 20, 22, 11]);
  });

  it('keeps scoring after an action fails', () => {
    const engine = loadPfa(
      {
        input: 'int',
        output: 'int',
        action: [{ let: { y: 'input' } }, { if: { '<': ['y', 0] }, then: { error: 'negative' } }, { '*': ['y', 2] }],
      },
      { backend },
    );
    expect(engine.action(3)).toBe(6);
    expect(() => engine.action(-1)).toThrow(/negative/);
    expect(engine.action(4)).toBe(8);
  });

  it('counts started and finished actions, failed ones as started only', () => {
    const engine = loadPfa(
      {
        input: 'int',
        output: { type: 'array', items: 'long' },
        action: [
          { if: { '<': ['input', 0] }, then: { error: 'negative' } },
          { new: ['actionsStarted', 'actionsFinished'], type: { type: 'array', items: 'long' } },
        ],
      },
      { backend },
    );
    expect(engine.action(1)).toEqual([1n, 0n]);
    expect(() => engine.action(-1)).toThrow();
    expect(engine.action(1)).toEqual([3n, 1n]);
  });

  it('rejects an input that does not fit, saying where', () => {
    const engine = loadPfa(
      { input: { type: 'record', name: 'R', fields: [{ name: 'a', type: 'double' }] }, output: 'double', action: 'input.a' },
      { backend },
    );
    expect(engine.action({ a: 2 })).toBe(2);
    expect(() => engine.action({ a: '2' })).toThrow(/input does not match the input type: \/a: expected double, got a string/);
  });

  it('restores rollback cells when an action fails', () => {
    const engine = loadPfa(
      {
        input: 'int',
        output: 'int',
        cells: { n: { type: 'int', init: 0, rollback: true } },
        action: [
          { cell: 'n', to: { '+': [{ cell: 'n' }, 'input'] } },
          { if: { '<': ['input', 0] }, then: { error: 'negative' } },
          { cell: 'n' },
        ],
      },
      { backend },
    );
    expect(engine.action(2)).toBe(2);
    expect(() => engine.action(-5)).toThrow(/negative/);
    expect(engine.action(1)).toBe(3);
  });
});
