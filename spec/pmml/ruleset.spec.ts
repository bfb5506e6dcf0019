import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

const header = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';

function ruleSet(criterion: string): string {
  return `${header}<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="y" optype="categorical" dataType="string"/>
</DataDictionary>
<RuleSetModel functionName="classification">
  <MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
  <Output><OutputField name="conf" feature="confidence"/><OutputField name="rule" feature="entityId"/></Output>
  <RuleSet defaultScore="none" defaultConfidence="0.1">
    <RuleSelectionMethod criterion="${criterion}"/>
    <SimpleRule id="r1" score="A" weight="0.4" confidence="0.7"><SimplePredicate field="x" operator="greaterThan" value="1"/></SimpleRule>
    <CompoundRule>
      <SimplePredicate field="x" operator="greaterThan" value="2"/>
      <SimpleRule id="r2" score="B" weight="0.5" confidence="0.8"><SimplePredicate field="x" operator="lessThan" value="10"/></SimpleRule>
      <SimpleRule id="r3" score="A" weight="0.3" confidence="0.6"><True/></SimpleRule>
    </CompoundRule>
  </RuleSet>
</RuleSetModel></PMML>`;
}

describe('RuleSetModel', () => {
  it('firstHit: the first firing rule in document order', () => {
    const m = loadPmml(ruleSet('firstHit'));
    expect(m.score({ x: 5 })).toEqual({ y: 'A', conf: 0.7, rule: 'r1' });
  });

  it('weightedMax: the firing rule of highest weight; compound rules guard their rules', () => {
    const m = loadPmml(ruleSet('weightedMax'));
    expect(m.score({ x: 5 })).toEqual({ y: 'B', conf: 0.8, rule: 'r2' });
    // x = 1.5: only r1 fires (the CompoundRule's predicate is false)
    expect(m.score({ x: 1.5 })).toEqual({ y: 'A', conf: 0.7, rule: 'r1' });
  });

  it('weightedSum: the score with the highest total weight, confidence = total / rules fired', () => {
    const m = loadPmml(ruleSet('weightedSum'));
    // x = 5: A = 0.4 + 0.3 = 0.7, B = 0.5; three rules fired
    const r = m.score({ x: 5 });
    expect(r.y).toBe('A');
    expect(r.conf).toBeCloseTo(0.7 / 3, 15);
  });

  it('gives the default score when no rule fires, and a missing value fires nothing', () => {
    const m = loadPmml(ruleSet('firstHit'));
    expect(m.score({ x: 0 })).toEqual({ y: 'none', conf: 0.1, rule: null });
    expect(m.score({})).toEqual({ y: 'none', conf: 0.1, rule: null });
  });
});
