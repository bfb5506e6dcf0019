import { describe, expect, it } from 'vitest';
import { checkPfaSource } from '../../../src/index.js';

function message(action: unknown): string {
  try {
    checkPfaSource({ input: 'int', output: 'int', action: [action, 0] });
  } catch (e) {
    expect((e as { code: string }).code).toBe('no-signature');
    return (e as Error).message;
  }
  throw new Error('expected no-signature');
}

const ints = { value: [1, 2], type: { type: 'array', items: 'int' } };

describe('no-signature messages say what is wrong first, then the signatures', () => {
  it('a wrong argument type', () => {
    const m = message({ 'm.sqrt': [['text']] });
    expect(m).toMatch(/^argument 1 of m\.sqrt is a string, expected double \(signature: \(x: double\) -> double\)$/);
  });

  it('a non-number where a number is expected, in either position of a generic operator', () => {
    expect(message({ '+': [['a'], 1] })).toMatch(/^argument 1 of \+ is a string, expected a number /);
    expect(message({ '+': [1, ['a']] })).toMatch(/^argument 2 of \+ is a string, expected a number /);
  });

  it('a function argument of the wrong arity', () => {
    const fn = { params: [{ a: 'int' }, { b: 'int' }, { c: 'int' }], ret: 'int', do: 'a' };
    expect(message({ 'a.map': [ints, fn] })).toMatch(/^argument 2 of a\.map must take 1 parameter, this function takes 3 \(signature: /);
  });

  it('a function argument that returns the wrong type', () => {
    const fn = { params: [{ a: 'int' }], ret: 'string', do: { string: 's' } };
    expect(message({ 'a.filter': [ints, fn] })).toMatch(/^argument 2 of a\.filter is a function that returns string, expected boolean/);
  });

  it('the wrong number of arguments', () => {
    expect(message({ 'm.sqrt': [1, 2] })).toMatch(/^m\.sqrt takes 1 argument, got 2 /);
  });

  it("with several signatures, the one of the call's arity explains, and all are listed", () => {
    const m = message({ 'a.len': [3] });
    expect(m).toMatch(/^argument 1 of a\.len is an int, expected an array/);
    const sub = message({ 's.substr': [['abc'], ['x'], 2] });
    expect(sub).toMatch(/^argument 2 of s\.substr is a string, expected int/);
    expect(sub.indexOf('signature')).toBeGreaterThan(sub.indexOf('expected'));
  });
});
