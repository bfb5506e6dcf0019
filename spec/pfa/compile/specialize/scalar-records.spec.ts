import { describe, expect, it } from 'vitest';
import { actionCode, expectBackendsAgree } from './_backends.js';

const INPUT = {
  type: 'record',
  name: 'In',
  fields: [
    { name: 'n', type: 'int' },
    { name: 's', type: 'string' },
  ],
};

const MAP = { type: 'map', values: 'double' };

/** A lowered PMML model's Result, cut down: a label, a probability per class, a score. */
const RESULT = {
  type: 'record',
  name: 'R',
  fields: [
    { name: 'label', type: ['null', 'string'] },
    { name: 'probs', type: MAP },
    { name: 'score', type: 'double' },
  ],
};

/** `r` as the lowering of a classifier binds its Result: a constant record when n is 0, else one built from a vector. */
const RESULT_VALUE = {
  if: { '==': ['input.n', 0] },
  then: { type: RESULT, value: { label: null, probs: {}, score: 0 } },
  else: {
    do: [
      { let: { v: { new: [{ '/': ['input.n', 4] }, { '-': [1, { '/': ['input.n', 4] }] }], type: { type: 'array', items: 'double' } } } },
      {
        new: {
          label: { if: { '>': ['input.n', 2] }, then: { string: 'yes' }, else: { string: 'no' } },
          probs: { new: { yes: { attr: 'v', path: [0] }, no: { attr: 'v', path: [1] } }, type: MAP },
          score: { '*': ['input.n', 1.5] },
        },
        type: 'R',
      },
    ],
  },
};

/** A document that binds `r` to `value`, runs `extra`, and returns `reads`. */
function classifier(reads: unknown, output: unknown, extra: unknown[] = [], value: unknown = RESULT_VALUE): object {
  return { input: INPUT, output, action: [{ let: { r: value } }, ...extra, reads] };
}

const OUT = {
  type: 'record',
  name: 'Out',
  fields: [
    { name: 'label', type: ['null', 'string'] },
    { name: 'yes', type: ['null', 'double'] },
    { name: 'no', type: ['null', 'double'] },
  ],
};

/** containsKey, then the key: how an OutputField reads a probability. */
const probability = (key: string) => ({
  if: { 'map.containsKey': ['r.probs', { string: key }] },
  then: { upcast: { attr: 'r.probs', path: [{ string: key }] }, as: ['null', 'double'] },
  else: { type: ['null', 'double'], value: null },
});

const inputs = [0, 1, 3, -2].map((n) => ({ n, s: 'yes' }));

describe('records kept as their fields', () => {
  it('reads a classifier result by field and constant key without building its map, as the closures read it', () => {
    const doc = classifier({ new: { label: 'r.label', yes: probability('yes'), no: probability('no') }, type: 'Out' }, OUT);
    expect(expectBackendsAgree(doc, inputs)).toEqual([
      { value: { label: null, yes: null, no: null } },
      { value: { label: 'no', yes: 0.25, no: 0.75 } },
      { value: { label: 'yes', yes: 0.75, no: 0.25 } },
      { value: { label: 'no', yes: -0.5, no: 1.5 } },
    ]);
    const source = actionCode(doc);
    expect(source).not.toContain('new Map()');
    expect(source).not.toContain('.get(');
  });

  it('takes apart a value that is an ifnotnull of a constant and a constructor, as the lowering of a boosted classifier writes it', () => {
    const doc = {
      input: INPUT,
      output: OUT,
      action: [
        {
          let: {
            r: {
              ifnotnull: {
                m: { if: { '==': ['input.n', 0] }, then: { type: ['null', 'double'], value: null }, else: { '/': [1, 'input.n'] } },
              },
              then: { new: { label: 'input.s', probs: { new: { yes: 'm', no: { '-': [1, 'm'] } }, type: MAP }, score: 'm' }, type: RESULT },
              else: { type: 'R', value: { label: null, probs: { no: 1 }, score: 0 } },
            },
          },
        },
        { new: { label: 'r.label', yes: probability('yes'), no: probability('no') }, type: 'Out' },
      ],
    };
    expect(
      expectBackendsAgree(doc, [
        { n: 0, s: 'a' },
        { n: 4, s: 'b' },
      ]),
    ).toEqual([{ value: { label: null, yes: null, no: 1 } }, { value: { label: 'b', yes: 0.25, no: 0.75 } }]);
    expect(actionCode(doc)).not.toContain('new Map()');
  });

  it('looks each constant key up once in a map an outcome computes, and keeps the constructors of the others unbuilt', () => {
    // n > 5: the map is map.add of a constant (keys "yes" and "maybe"), computed, not constructed.
    const many = {
      if: { '>': ['input.n', 5] },
      then: {
        new: {
          label: { string: 'many' },
          probs: { 'map.add': [{ type: MAP, value: { maybe: 0.5 } }, { string: 'yes' }, { '/': [1, 'input.n'] }] },
          score: 0,
        },
        type: RESULT,
      },
      else: RESULT_VALUE,
    };
    const doc = classifier({ new: { label: 'r.label', yes: probability('yes'), no: probability('no') }, type: 'Out' }, OUT, [], many);
    expect(
      expectBackendsAgree(doc, [
        { n: 8, s: '' },
        { n: 1, s: '' },
        { n: 0, s: '' },
      ]),
    ).toEqual([
      { value: { label: 'many', yes: 0.125, no: null } },
      { value: { label: 'no', yes: 0.25, no: 0.75 } },
      { value: { label: null, yes: null, no: null } },
    ]);
    const source = actionCode(doc);
    expect(source).not.toContain('new Map()');
    expect(source).toContain('.get("yes")');
  });

  it('builds the record, map and all, where its value goes into a function of its own', () => {
    // One `do` of 400-odd nodes: the `let` goes into a function of its own, and the reads after it
    // see the record in the frame.
    const keys = Array.from({ length: 100 }, (_, i) => `c${i}`);
    const doc = {
      input: INPUT,
      output: ['null', 'double'],
      action: [
        {
          do: [
            {
              let: {
                r: {
                  new: {
                    label: { string: 'x' },
                    probs: { new: Object.fromEntries(keys.map((k, i) => [k, { '/': ['input.n', i + 1] }])), type: MAP },
                    score: 0,
                  },
                  type: RESULT,
                },
              },
            },
            {
              if: { 'map.containsKey': ['r.probs', { string: 'c3' }] },
              then: { upcast: { attr: 'r.probs', path: [{ string: 'c3' }] }, as: ['null', 'double'] },
              else: { type: ['null', 'double'], value: null },
            },
          ],
        },
      ],
    };
    expect(expectBackendsAgree(doc, [{ n: 8, s: '' }])).toEqual([{ value: 2 }]);
  });

  it('raises the map error for a key one outcome lacks, and for a key no outcome has', () => {
    const some = classifier({ attr: 'r.probs', path: [{ string: 'yes' }] }, 'double');
    expect(expectBackendsAgree(some, inputs)).toEqual([{ error: 2001 }, { value: 0.25 }, { value: 0.75 }, { value: -0.5 }]);
    expect(actionCode(some)).not.toContain('new Map()');
    const none = classifier({ attr: 'r.probs', path: [{ string: 'maybe' }] }, 'double');
    expect(expectBackendsAgree(none, inputs)).toEqual(inputs.map(() => ({ error: 2001 })));
    expect(actionCode(none)).not.toContain('new Map()');
  });

  it('still computes the fields nobody reads, in the order of the record type, errors included', () => {
    // label fails for n < 0 with code 5, the unread map's entry for n < -1 with code 6: label comes first.
    const doc = {
      input: INPUT,
      output: 'double',
      action: [
        {
          let: {
            r: {
              new: {
                score: { '*': ['input.n', 2] },
                probs: {
                  new: { a: { if: { '<': ['input.n', -1] }, then: { error: 'entry', code: 6 }, else: { double: 1 } } },
                  type: MAP,
                },
                label: { if: { '<': ['input.n', 0] }, then: { error: 'label', code: 5 }, else: { string: 'x' } },
              },
              type: RESULT,
            },
          },
        },
        'r.score',
      ],
    };
    expect(
      expectBackendsAgree(doc, [
        { n: 2, s: '' },
        { n: -1, s: '' },
        { n: -3, s: '' },
      ]),
    ).toEqual([{ value: 4 }, { error: 5 }, { error: 5 }]);
    expect(actionCode(doc)).not.toContain('new Map()');
  });

  it('builds the map where the record or the map is used whole, or a key is not constant', () => {
    const whole = [
      // The record returned.
      classifier('r', RESULT),
      // The map passed on.
      classifier({ 'map.len': ['r.probs'] }, 'int'),
      // A key computed per record.
      classifier({ if: { 'map.containsKey': ['r.probs', 'input.s'] }, then: 1, else: 0 }, 'int'),
      // The variable set again.
      classifier('r.score', 'double', [{ set: { r: { type: 'R', value: { label: { string: 'z' }, probs: { yes: 1 }, score: 2 } } } }]),
    ];
    for (const doc of whole) {
      expectBackendsAgree(doc, inputs);
      expect(actionCode(doc)).toContain('new Map()');
    }
    expect(expectBackendsAgree(whole[2]!, inputs)).toEqual([{ value: 0 }, { value: 1 }, { value: 1 }, { value: 1 }]);
  });
});
