import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

const header = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';

function scorecard(attrs: string): string {
  return `${header}<DataDictionary>
  <DataField name="age" optype="continuous" dataType="double"/>
  <DataField name="job" optype="categorical" dataType="string"/>
  <DataField name="score" optype="continuous" dataType="double"/>
</DataDictionary>
<Scorecard functionName="regression" initialScore="100" ${attrs}>
  <MiningSchema><MiningField name="age"/><MiningField name="job"/><MiningField name="score" usageType="target"/></MiningSchema>
  <Output>
    <OutputField name="RC1" feature="reasonCode" rank="1"/>
    <OutputField name="RC2" feature="reasonCode" rank="2"/>
    <OutputField name="RC3" feature="reasonCode" rank="3"/>
  </Output>
  <Characteristics>
    <Characteristic name="ageScore" reasonCode="AGE" baselineScore="20">
      <Attribute partialScore="5"><SimplePredicate field="age" operator="lessThan" value="30"/></Attribute>
      <Attribute><SimplePredicate field="age" operator="greaterOrEqual" value="30"/>
        <ComplexPartialScore><Apply function="*"><FieldRef field="age"/><Constant>0.5</Constant></Apply></ComplexPartialScore>
      </Attribute>
    </Characteristic>
    <Characteristic name="jobScore" reasonCode="JOB" baselineScore="10">
      <Attribute partialScore="2" reasonCode="NOJOB"><SimplePredicate field="job" operator="isMissing"/></Attribute>
      <Attribute partialScore="15"><SimplePredicate field="job" operator="equal" value="engineer"/></Attribute>
      <Attribute partialScore="4"><True/></Attribute>
    </Characteristic>
  </Characteristics>
</Scorecard></PMML>`;
}

describe('Scorecard', () => {
  it('sums the first matching attribute of every characteristic, complex scores included', () => {
    const m = loadPmml(scorecard(''));
    // 100 + 0.5 * 50 + 15
    expect(m.score({ age: 50, job: 'engineer' }).score).toBe(140);
  });

  it('ranks reason codes by points below the baseline; the last positive one repeats', () => {
    const m = loadPmml(scorecard(''));
    // age 20: AGE 20 - 5 = 15; job teacher: JOB 10 - 4 = 6
    expect(m.score({ age: 20, job: 'teacher' })).toEqual({ score: 109, RC1: 'AGE', RC2: 'JOB', RC3: 'JOB' });
    // age 60: AGE 20 - 30 < 0; job missing: the attribute's own code NOJOB, 10 - 2 = 8
    expect(m.score({ age: 60 })).toEqual({ score: 132, RC1: 'NOJOB', RC2: 'NOJOB', RC3: 'NOJOB' });
    // nothing below baseline: no reason codes
    expect(m.score({ age: 50, job: 'engineer' })).toMatchObject({ RC1: null });
  });

  it('ranks by points above the baseline with pointsAbove, and can leave reason codes out', () => {
    const above = loadPmml(scorecard('reasonCodeAlgorithm="pointsAbove"'));
    // age 50: AGE 25 - 20 = 5; engineer: JOB 15 - 10 = 5; equal: the earlier code first
    expect(above.score({ age: 50, job: 'engineer' })).toMatchObject({ RC1: 'AGE', RC2: 'JOB' });
    const none = loadPmml(scorecard('useReasonCodes="false"'));
    expect(none.score({ age: 20, job: 'teacher' }).RC1).toBeNull();
  });

  it('predicts nothing when a characteristic has no matching attribute', () => {
    const m = loadPmml(scorecard(''));
    expect(m.score({ job: 'engineer' }).score).toBeNull();
  });
});
