/**
 * A segment's MiningSchema does not test a field again when its enclosing model already refused or
 * made missing the invalid values of that field (src/pmml/lower/fields.ts). Every combination of
 * treatments, outer and inner, is scored against a plain reference of PMML's rules written here, on
 * a valid, an invalid and a missing value: the skipped test must never change an answer.
 */
import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../../src/index.js';

const VALUES = ['a', 'b'];

interface Treatment {
  readonly invalid: 'returnInvalid' | 'asIs' | 'asMissing' | 'asValue';
  /** invalidValueReplacement, with asValue. */
  readonly invalidValue?: string;
  readonly missingValue?: string;
}

const TREATMENTS: readonly Treatment[] = [
  { invalid: 'returnInvalid' },
  { invalid: 'asIs' },
  { invalid: 'asMissing' },
  { invalid: 'asValue', invalidValue: 'b' },
  { invalid: 'asValue', invalidValue: 'zz' },
  { invalid: 'returnInvalid', missingValue: 'b' },
  { invalid: 'returnInvalid', missingValue: 'zz' },
  { invalid: 'asMissing', missingValue: 'a' },
];

function miningField(t: Treatment): string {
  const attrs = [`invalidValueTreatment="${t.invalid}"`];
  if (t.invalidValue !== undefined) attrs.push(`invalidValueReplacement="${t.invalidValue}"`);
  if (t.missingValue !== undefined) attrs.push(`missingValueReplacement="${t.missingValue}"`);
  return `<MiningField name="s" ${attrs.join(' ')}/>`;
}

/** A tree scoring 1 for "a", 2 for "b", 3 for "zz", and 4 for another value or a missing one. */
function tree(inner: Treatment): string {
  const node = (v: string, score: number) => `<Node score="${score}"><SimplePredicate field="s" operator="equal" value="${v}"/></Node>`;
  return `<TreeModel functionName="regression" noTrueChildStrategy="returnLastPrediction">
  <MiningSchema>${miningField(inner)}<MiningField name="y" usageType="target"/></MiningSchema>
  <Node score="4"><True/>${node('a', 1)}${node('b', 2)}${node('zz', 3)}</Node></TreeModel>`;
}

function document(outer: Treatment, inner: Treatment, predicate: string): string {
  return `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/><DataDictionary>
  <DataField name="s" optype="categorical" dataType="string">${VALUES.map((v) => `<Value value="${v}"/>`).join('')}</DataField>
  <DataField name="t" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
  </DataDictionary><MiningModel functionName="regression">
  <MiningSchema>${miningField(outer)}<MiningField name="t"/><MiningField name="y" usageType="target"/></MiningSchema>
  <Segmentation multipleModelMethod="sum"><Segment>${predicate}${tree(inner)}</Segment></Segmentation></MiningModel></PMML>`;
}

/** PMML's treatment of one value, as the lowering has always applied it. */
function treat(t: Treatment, v: string | null): string | null {
  if (v === null) return t.missingValue ?? null;
  if (VALUES.includes(v)) return v;
  switch (t.invalid) {
    case 'returnInvalid':
      throw new Error('invalid');
    case 'asIs':
      return v;
    case 'asMissing':
      return null;
    case 'asValue':
      return t.invalidValue!;
  }
}

function reference(outer: Treatment, inner: Treatment, v: string | null): number | null | 'error' {
  try {
    const s = treat(inner, treat(outer, v));
    return s === 'a' ? 1 : s === 'b' ? 2 : s === 'zz' ? 3 : 4;
  } catch {
    return 'error';
  }
}

function scored(text: string, v: string | null): number | null | 'error' {
  try {
    return loadPmml(text).score({ s: v, t: 1 }).y as number | null;
  } catch (e) {
    expect(String(e)).toMatch(/invalid value of field s/);
    return 'error';
  }
}

describe('treatments of a field an enclosing model already tested', () => {
  // A segment that always runs, and one in a conditional block (its scope is a child scope).
  for (const predicate of ['<True/>', '<SimplePredicate field="t" operator="greaterThan" value="0"/>']) {
    it(`give PMML's answers for every outer and inner treatment (${predicate.startsWith('<True') ? 'unconditional' : 'conditional'} segment)`, () => {
      for (const outer of TREATMENTS) {
        for (const inner of TREATMENTS) {
          const text = document(outer, inner, predicate);
          for (const v of ['a', 'b', 'zz', 'q', null]) {
            expect({ outer, inner, v, y: scored(text, v) }).toEqual({ outer, inner, v, y: reference(outer, inner, v) });
          }
        }
      }
    });
  }

  it('test the values once when the enclosing model refused invalid ones, and again when it let them through', () => {
    const tests = (outer: Treatment, inner: Treatment) =>
      JSON.stringify(loadPmml(document(outer, inner, '<True/>')).pfa).split('"a.contains"').length - 1;
    expect(tests({ invalid: 'returnInvalid' }, { invalid: 'returnInvalid' })).toBe(1);
    expect(tests({ invalid: 'asMissing' }, { invalid: 'returnInvalid' })).toBe(1);
    expect(tests({ invalid: 'asValue', invalidValue: 'b' }, { invalid: 'returnInvalid' })).toBe(1);
    // asIs tests nothing outside: the one test is the segment's.
    expect(tests({ invalid: 'asIs' }, { invalid: 'returnInvalid' })).toBe(1);
    expect(tests({ invalid: 'asValue', invalidValue: 'zz' }, { invalid: 'returnInvalid' })).toBe(2);
    expect(tests({ invalid: 'returnInvalid', missingValue: 'zz' }, { invalid: 'returnInvalid' })).toBe(2);
  });
});
