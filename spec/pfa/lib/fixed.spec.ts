import { describe, expect, it } from 'vitest';
import { T, type FixedType } from '../../../src/avro/types.js';
import { loadPfa } from '../../../src/index.js';
import { implFor } from './_direct-call.js';

const F4: FixedType = { kind: 'fixed', name: 'F4', fullName: 'F4', size: 4 };
const bytes = (...b: number[]) => new Uint8Array(b);

describe('fixed', () => {
  it('toBytes gives the same bytes', () => {
    expect(implFor('fixed.toBytes', [F4])(bytes(1, 2, 3, 4))).toEqual(bytes(1, 2, 3, 4));
  });

  it('fromBytes overlays a shorter replacement on the original', () => {
    const original = bytes(9, 9, 9, 9);
    const out = implFor('fixed.fromBytes', [F4, T.bytes])(original, bytes(1, 2));
    expect(out).toEqual(bytes(1, 2, 9, 9));
    expect(original).toEqual(bytes(9, 9, 9, 9));
  });

  it('fromBytes truncates a longer replacement and keeps the original for an empty one', () => {
    const fromBytes = implFor('fixed.fromBytes', [F4, T.bytes]);
    expect(fromBytes(bytes(0, 0, 0, 0), bytes(1, 2, 3, 4, 5, 6))).toEqual(bytes(1, 2, 3, 4));
    expect(fromBytes(bytes(5, 6, 7, 8), bytes())).toEqual(bytes(5, 6, 7, 8));
  });
});

describe('fixed through the engine', () => {
  it('fromBytes keeps the fixed type', () => {
    const F2 = { type: 'fixed', name: 'F2', size: 2 };
    const e = loadPfa({ input: F2, output: 'F2', action: { 'fixed.fromBytes': ['input', { base64: 'BwgJ' }] } });
    expect(e.action(bytes(0, 0))).toEqual(bytes(7, 8));
  });
});
