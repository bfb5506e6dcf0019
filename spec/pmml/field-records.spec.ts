import { describe, expect, it } from 'vitest';
import {
  inputRecordBuilder,
  plainInputRecord,
  plainResultRecord,
  resultRecordBuilder,
  type InputField,
} from '../../src/pmml/field-records.js';

const INPUTS: InputField[] = [
  { name: 'age', inputName: 'age', type: 'double' },
  { name: 'toString', inputName: 'toString_', type: 'string' },
  { name: '__proto__', inputName: '__proto__', type: 'double' },
  { name: 'flag', inputName: 'flag', type: 'boolean' },
  { name: 'basket items', inputName: 'basket_items', type: 'string', multiple: true },
  { name: 'x"); throw 1; ("', inputName: 'x_', type: 'double' },
];

function outcome(build: (r: unknown) => Record<string, unknown>, record: unknown): unknown {
  try {
    const out = build(record);
    // Own properties with their values, in order: __proto__ must be an own field, not the prototype.
    return { prototype: Object.getPrototypeOf(out) === Object.prototype, fields: Object.entries(out) };
  } catch (e) {
    return { error: (e as Error).message, code: (e as { code?: unknown }).code };
  }
}

describe('PMML field records: the generated builders against the plain loops', () => {
  const records: unknown[] = [
    undefined,
    null,
    {},
    { age: 41, toString: 'a', ['__proto__']: 3, flag: true, 'basket items': ['milk', null, 'tea'], 'x"); throw 1; ("': 2 },
    { age: '41.5', toString: 7, flag: 'TRUE', 'basket items': 'bread' },
    { age: ['3', '3'], flag: 0, 'basket items': [] },
    { age: ' 12 ' },
    { age: 'old' },
    { age: [1, 2] },
    { flag: 'maybe' },
    { age: 1, flag: 'maybe', 'x"); throw 1; ("': 'nope' },
    Object.create({ age: 5 }),
    // Another prototype is read by own fields only: its inherited bad value is no field.
    Object.assign(Object.create({ flag: 'maybe' }), { age: 3 }),
    Object.assign(Object.create(null), { age: 2, flag: 1, toString: 'x' }),
    [1, 2],
    'not a record',
  ];

  it('read every record as the loop does, errors and their order included', () => {
    const generated = inputRecordBuilder(INPUTS);
    const plain = plainInputRecord(INPUTS);
    for (const r of records) expect(outcome(generated, r), JSON.stringify(r)).toEqual(outcome(plain, r));
    expect(outcome(generated, { age: 'old', flag: 'maybe' })).toMatchObject({
      code: 'input-mismatch',
      error: expect.stringContaining('"age"'),
    });
  });

  it('keep __proto__ an own field and never read inherited ones', () => {
    const out = inputRecordBuilder(INPUTS)({ ['__proto__']: 2 });
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe(2);
    expect(inputRecordBuilder(INPUTS)({})).toMatchObject({ toString_: null, age: null });
  });

  it('name result fields by their PMML names, from the output record', () => {
    const results = [
      { name: 'probability(1)', outputName: 'probability_1_' },
      { name: '__proto__', outputName: 'p' },
      { name: 'Adjusted', outputName: 'Adjusted' },
    ];
    const out = { probability_1_: 0.25, p: 'x', Adjusted: null, other: 1 };
    expect(outcome(resultRecordBuilder(results), out)).toEqual(outcome(plainResultRecord(results), out));
    expect(Object.keys(resultRecordBuilder(results)(out))).toEqual(['probability(1)', '__proto__', 'Adjusted']);
  });
});
