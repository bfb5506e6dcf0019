import { describe, expect, it } from 'vitest';
import { checkPfaSource, loadPfa } from '../../../src/index.js';

function code(action: unknown, extra: Record<string, unknown> = {}): string | number | undefined {
  try {
    checkPfaSource({ input: 'int', output: 'int', ...extra, action });
    return undefined;
  } catch (e) {
    return (e as { code: string | number }).code;
  }
}

const boom = { error: 'boom' };

describe('expressions of type exception where a value is needed', () => {
  it('are refused as let and set values, loop variables, arguments and stored values', () => {
    expect(code([{ let: { x: boom } }, 0])).toBe('exception-as-value');
    expect(code([{ let: { x: { do: [1, boom] } } }, 0])).toBe('exception-as-value');
    expect(code([{ let: { x: 0 } }, { set: { x: boom } }, 0])).toBe('exception-as-value');
    expect(code([{ for: { i: boom }, while: true, step: { i: 1 }, do: [] }, 0])).toBe('exception-as-value');
    expect(code({ '+': [1, boom] })).toBe('exception-as-value');
    expect(code({ 'u.f': [boom] }, { fcns: { f: { params: [{ x: 'int' }], ret: 'int', do: 'x' } } })).toBe('exception-as-value');
    expect(code({ new: [boom], type: { type: 'array', items: 'int' } })).toBe('exception-as-value');
    expect(code([{ cell: 'c', to: boom }, 0], { cells: { c: { type: 'int', init: 0 } } })).toBe('exception-as-value');
    expect(code([{ log: [boom] }, 0])).toBe('exception-as-value');
  });

  it('say where and why', () => {
    expect(() => checkPfaSource({ input: 'int', output: 'int', action: [{ let: { x: boom } }, 0] })).toThrow(
      /value of "x" always raises an exception/,
    );
  });

  it('are still fine as a branch, a function result, a statement, or a lazy argument', () => {
    expect(code({ if: { '>': ['input', 0] }, then: 'input', else: boom })).toBeUndefined();
    expect(code({ cond: [{ if: true, then: boom }], else: 1 })).toBeUndefined();
    expect(code([boom, 0])).toBeUndefined();
    expect(code({ 'u.f': [1] }, { fcns: { f: { params: [{ x: 'int' }], ret: 'int', do: boom } } })).toBeUndefined();
    expect(code({ if: { '&&': [false, boom] }, then: 1, else: 2 })).toBeUndefined();
    expect(code([{ let: { x: { try: boom } } }, 0])).toBeUndefined();
    expect(loadPfa({ input: 'int', output: 'int', action: { if: { '>': ['input', 0] }, then: 'input', else: boom } }).action(3)).toBe(3);
  });
});
