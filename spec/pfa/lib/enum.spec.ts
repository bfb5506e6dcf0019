import { describe, expect, it } from 'vitest';
import type { EnumType } from '../../../src/avro/types.js';
import { loadPfa } from '../../../src/index.js';
import { implFor } from './_direct-call.js';

const Color: EnumType = { kind: 'enum', name: 'Color', fullName: 'Color', symbols: ['red', 'green', 'blue'] };

describe('enum', () => {
  it('toString gives the symbol', () => {
    expect(implFor('enum.toString', [Color])('green')).toBe('green');
  });

  it('toInt gives the symbol position', () => {
    const toInt = implFor('enum.toInt', [Color]);
    expect(['red', 'green', 'blue'].map(toInt)).toEqual([0, 1, 2]);
  });

  it('numSymbols is a property of the type', () => {
    expect(implFor('enum.numSymbols', [Color])('red')).toBe(3);
    expect(implFor('enum.numSymbols', [{ ...Color, symbols: ['only'] }])('only')).toBe(1);
  });
});

describe('enum through the engine', () => {
  it('toInt of an input symbol', () => {
    const input = { type: 'enum', name: 'Color', symbols: ['red', 'green', 'blue'] };
    const e = loadPfa({ input, output: 'int', action: { 'enum.toInt': ['input'] } });
    expect(e.action('blue')).toBe(2);
  });
});
