import { describe, expect, it } from 'vitest';
import { checkPfaSource, loadPfa } from '../../../src/index.js';

describe('scopes', () => {
  it('the until condition of do-until sees the variables its body declares', () => {
    const e = loadPfa({
      input: 'int',
      output: 'int',
      action: [
        { let: { n: 0 } },
        { do: [{ let: { next: { '+': ['n', 1] } } }, { set: { n: 'next' } }], until: { '>=': ['next', 'input'] } },
        'n',
      ],
    });
    expect(e.action(5)).toBe(5);
    expect(
      loadPfa(
        {
          input: 'int',
          output: 'int',
          action: [
            { let: { n: 0 } },
            { do: [{ let: { next: { '+': ['n', 1] } } }, { set: { n: 'next' } }], until: { '>=': ['next', 'input'] } },
            'n',
          ],
        },
        { backend: 'closures' },
      ).action(3),
    ).toBe(3);
  });

  it('a variable of the body is still not visible after the loop', () => {
    const doc = { input: 'int', output: 'int', action: [{ do: [{ let: { k: 1 } }], until: true }, 'k'] };
    expect(() => checkPfaSource(doc)).toThrow(/unknown symbol "k"/);
  });

  it('an inline function parameter may shadow an enclosing variable, and means the parameter inside', () => {
    const e = loadPfa({
      input: { type: 'array', items: 'int' },
      output: { type: 'array', items: 'int' },
      action: [{ let: { x: 100 } }, { 'a.map': ['input', { params: [{ x: 'int' }], ret: 'int', do: { '*': ['x', 2] } }] }],
    });
    expect(e.action([1, 2])).toEqual([2, 4]);
  });

  it('other redeclarations are still refused', () => {
    const inBody = {
      input: 'int',
      output: 'int',
      action: [
        { let: { x: 1 } },
        {
          'a.len': [
            {
              'a.map': [
                { value: [1], type: { type: 'array', items: 'int' } },
                { params: [{ y: 'int' }], ret: 'int', do: [{ let: { x: 2 } }, 'y'] },
              ],
            },
          ],
        },
      ],
    };
    expect(() => checkPfaSource(inBody)).toThrow(/symbol "x" is already defined/);
    expect(() => checkPfaSource({ input: 'int', output: 'int', action: [{ let: { x: 1 } }, { let: { x: 2 } }, 'x'] })).toThrow(
      /already defined/,
    );
    const twice = { input: 'int', output: 'int', fcns: { f: { params: [{ a: 'int' }, { a: 'int' }], ret: 'int', do: 'a' } }, action: 0 };
    expect(() => checkPfaSource(twice)).toThrow(/appears twice/);
  });
});
