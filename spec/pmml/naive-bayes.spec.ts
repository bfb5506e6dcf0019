import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

const model = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>
  <DataField name="g" optype="categorical" dataType="string"><Value value="u"/><Value value="v"/><Value value="w"/></DataField>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="k" optype="categorical" dataType="string"><Value value="c1"/><Value value="c2"/></DataField>
</DataDictionary>
<NaiveBayesModel functionName="classification" threshold="0.01">
  <MiningSchema><MiningField name="g"/><MiningField name="x"/><MiningField name="k" usageType="target"/></MiningSchema>
  <Output><OutputField name="p1" feature="probability" value="c1"/></Output>
  <BayesInputs>
    <BayesInput fieldName="g">
      <PairCounts value="u"><TargetValueCounts><TargetValueCount value="c1" count="10"/><TargetValueCount value="c2" count="0"/></TargetValueCounts></PairCounts>
      <PairCounts value="v"><TargetValueCounts><TargetValueCount value="c1" count="20"/><TargetValueCount value="c2" count="10"/></TargetValueCounts></PairCounts>
    </BayesInput>
    <BayesInput fieldName="x">
      <TargetValueStats>
        <TargetValueStat value="c1"><GaussianDistribution mean="0" variance="1"/></TargetValueStat>
        <TargetValueStat value="c2"><GaussianDistribution mean="1" variance="1"/></TargetValueStat>
      </TargetValueStats>
    </BayesInput>
  </BayesInputs>
  <BayesOutput fieldName="k"><TargetValueCounts><TargetValueCount value="c1" count="30"/><TargetValueCount value="c2" count="10"/></TargetValueCounts></BayesOutput>
</NaiveBayesModel></PMML>`;

describe('NaiveBayesModel', () => {
  const m = loadPmml(model);

  it('multiplies prior counts by count ratios; a zero count gives the threshold', () => {
    // c1: 30 * 10/30 = 10; c2: 10 * 0.01 = 0.1.
    const r = m.score({ g: 'u' });
    expect(r.k).toBe('c1');
    expect(r.p1).toBeCloseTo(10 / 10.1, 15);
  });

  it('multiplies by the Gaussian density of a continuous input', () => {
    // c1: 30 * 20/30 * phi(0); c2: 10 * 10/10 * phi(-1): P(c1) = 2 / (2 + exp(-1/2)).
    expect(m.score({ g: 'v', x: 0 }).p1).toBeCloseTo(2 / (2 + Math.exp(-0.5)), 15);
    // x = 3 (g missing is ignored): phi(3) for c1 is below the threshold, which stands in for it.
    const c1 = 30 * 0.01;
    const c2 = (10 * Math.exp(-2)) / Math.sqrt(2 * Math.PI);
    const r = m.score({ x: 3 });
    expect(r.k).toBe('c2');
    expect(r.p1).toBeCloseTo(c1 / (c1 + c2), 15);
  });

  it('ignores missing values and values no PairCounts lists: the priors remain', () => {
    const r = m.score({});
    expect(r.k).toBe('c1');
    expect(r.p1).toBeCloseTo(0.75, 15);
    expect(m.score({ g: 'w' }).p1).toBeCloseTo(0.75, 15);
  });
});
