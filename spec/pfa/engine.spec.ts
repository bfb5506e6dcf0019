import { describe, expect, it } from 'vitest';
import { loadPfa } from '../../src/index.js';

describe('PfaEngine calls', () => {
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
    const engine = loadPfa({ input: 'int', output: 'int', action: [{ let: { y: 'input' } }, { if: { '<': ['y', 0] }, then: { error: 'negative' } }, { '*': ['y', 2] }] });
    expect(engine.action(3)).toBe(6);
    expect(() => engine.action(-1)).toThrow(/negative/);
    expect(engine.action(4)).toBe(8);
  });

  it('counts started and finished actions, failed ones as started only', () => {
    const engine = loadPfa({
      input: 'int',
      output: { type: 'array', items: 'long' },
      action: [{ if: { '<': ['input', 0] }, then: { error: 'negative' } }, { new: ['actionsStarted', 'actionsFinished'], type: { type: 'array', items: 'long' } }],
    });
    expect(engine.action(1)).toEqual([1n, 0n]);
    expect(() => engine.action(-1)).toThrow();
    expect(engine.action(1)).toEqual([3n, 1n]);
  });
});
