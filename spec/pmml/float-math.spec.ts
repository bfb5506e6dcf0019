import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

const header = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';
const schema = '<MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>';
const tree = (left: string, right: string) => `<TreeModel functionName="regression" x-mathContext="float">${schema}
  <Node score="0"><True/>
    <Node score="${left}"><SimplePredicate field="x" operator="lessThan" value="0.1"/></Node>
    <Node score="${right}"><True/></Node>
  </Node></TreeModel>`;

const doc = `${header}
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="float"/>
  <DataField name="y" optype="continuous" dataType="double"/>
</DataDictionary>
<MiningModel functionName="regression" x-mathContext="float">${schema}
  <Targets><Target field="y" rescaleConstant="1"/></Targets>
  <Segmentation multipleModelMethod="sum">
    <Segment><True/>${tree('-1', '0.00000001')}</Segment>
    <Segment><True/>${tree('-1', '0.00000001')}</Segment>
  </Segmentation>
</MiningModel></PMML>`;

describe('x-mathContext="float" and dataType="float"', () => {
  const m = loadPmml(doc);

  it('reads float fields and compares them with float32 thresholds', () => {
    // 0.09999999999 < 0.1 in double, but both round to the same float32 (0.10000000149...),
    // so the split is false and the right leaves are taken.
    expect(m.score({ x: 0.09999999999 }).y).toBe(1);
    expect(m.score({ x: 0.0999 }).y).toBe(-1);
  });

  it('sums from the rescaleConstant in float32', () => {
    // In double: 1 + 1e-8 + 1e-8 = 1.00000002; in float32 each 1e-8 is lost against 1.
    expect(m.score({ x: 5 }).y).toBe(1);
  });
});

const logit = `${header}
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="float"/>
  <DataField name="c" optype="categorical" dataType="string"><Value value="0"/><Value value="1"/></DataField>
</DataDictionary>
<RegressionModel functionName="classification" normalizationMethod="logit" x-mathContext="float">
  <MiningSchema><MiningField name="x"/><MiningField name="c" usageType="target"/></MiningSchema>
  <Output>
    <OutputField name="p1" feature="probability" value="1" dataType="double"/>
    <OutputField name="p0" feature="probability" value="0" dataType="double"/>
  </Output>
  <RegressionTable intercept="0.0" targetCategory="1"><NumericPredictor name="x" coefficient="1.0"/></RegressionTable>
  <RegressionTable intercept="0.0" targetCategory="0"/>
</RegressionModel></PMML>`;

describe('the logit link of a float model', () => {
  const m = loadPmml(logit);

  it('is taken in float32 steps: exp, then 1 + e, then 1 / (1 + e)', () => {
    // x = 1.5. exp(-1.5) = 0.22313016014842982 rounds to the float32 0.22313016653060913;
    // 1 + 0.22313016653060913 rounds to 1.223130226135254 (float32 spacing near 1 is 2^-23);
    // 1 / 1.223130226135254 = 0.81757440... rounds to 0.8175744414329529.
    // Rounding only the double sigmoid, 1 / 1.22313016014842982 = 0.8175744761936437, would give
    // the next float32 up, 0.8175745010375977.
    const r = m.score({ x: 1.5 });
    expect(r.p1).toBe(0.8175744414329529);
    // The other category takes the rest, exactly: 1 - 0.8175744414329529.
    expect(r.p0).toBe(0.18242555856704712);
    expect(r.c).toBe('1');
  });
});
