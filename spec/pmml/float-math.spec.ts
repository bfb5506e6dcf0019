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
