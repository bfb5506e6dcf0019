import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

const header = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';

const linear = `${header}
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="color" optype="categorical" dataType="string"><Value value="red"/><Value value="blue"/></DataField>
  <DataField name="y" optype="continuous" dataType="double"/>
</DataDictionary>
<RegressionModel functionName="regression">
  <MiningSchema>
    <MiningField name="x" missingValueReplacement="10"/>
    <MiningField name="color" invalidValueTreatment="asMissing"/>
    <MiningField name="y" usageType="target"/>
  </MiningSchema>
  <Output>
    <OutputField name="pred" feature="predictedValue" dataType="double"/>
    <OutputField name="twice" feature="transformedValue" dataType="double"><Apply function="*"><FieldRef field="pred"/><Constant>2</Constant></Apply></OutputField>
  </Output>
  <Targets><Target field="y" rescaleConstant="1"/></Targets>
  <RegressionTable intercept="0.5">
    <NumericPredictor name="x" coefficient="2"/>
    <NumericPredictor name="x" exponent="2" coefficient="0.25"/>
    <CategoricalPredictor name="color" value="red" coefficient="3"/>
  </RegressionTable>
</RegressionModel></PMML>`;

describe('RegressionModel', () => {
  const m = loadPmml(linear);

  it('sums numeric (with exponents) and categorical terms, then applies Targets', () => {
    // 0.5 + 2*2 + 0.25*4 + 3 = 8.5, rescaled by +1
    expect(m.score({ x: 2, color: 'red' }).y).toBe(9.5);
    expect(m.score({ x: 2, color: 'blue' }).y).toBe(6.5);
  });

  it('replaces a missing value as the MiningSchema says', () => {
    // x = 10: 0.5 + 20 + 25 = 45.5 (+1)
    expect(m.score({ color: 'blue' }).y).toBe(46.5);
  });

  it('turns an invalid category into a missing value, which makes the prediction missing', () => {
    expect(m.score({ x: 1, color: 'green' }).y).toBe(null);
  });

  it('computes output fields from earlier output fields', () => {
    expect(m.score({ x: 2, color: 'red' }).twice).toBe(19);
  });

  it('describes its fields', () => {
    expect(m.inputFields.map((f) => [f.name, f.dataType, f.opType])).toEqual([
      ['x', 'double', 'continuous'],
      ['color', 'string', 'categorical'],
    ]);
    expect(m.targetFields.map((f) => f.name)).toEqual(['y']);
    expect(m.outputFields.map((f) => f.name)).toEqual(['pred', 'twice']);
  });
});

const logistic = `${header}
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="c" optype="categorical" dataType="string"><Value value="yes"/><Value value="no"/></DataField>
</DataDictionary>
<RegressionModel functionName="classification" normalizationMethod="softmax">
  <MiningSchema><MiningField name="x"/><MiningField name="c" usageType="predicted"/></MiningSchema>
  <Output>
    <OutputField name="p_yes" feature="probability" value="yes" dataType="double"/>
    <OutputField name="label" feature="predictedValue" dataType="string"/>
  </Output>
  <RegressionTable targetCategory="yes" intercept="0"><NumericPredictor name="x" coefficient="1"/></RegressionTable>
  <RegressionTable targetCategory="no" intercept="0"/>
</RegressionModel></PMML>`;

describe('RegressionModel classification', () => {
  const m = loadPmml(logistic);

  it('normalises table scores with softmax and predicts the most probable category', () => {
    const r = m.score({ x: Math.log(3) });
    expect(r.p_yes).toBeCloseTo(0.75, 12);
    expect(r.label).toBe('yes');
    expect(r.c).toBe('yes');
    expect(m.score({ x: -1 }).c).toBe('no');
  });

  it('gives missing results for a missing predictor', () => {
    expect(m.score({})).toEqual({ c: null, p_yes: null, label: null });
  });
});

describe('RegressionModel normalizationMethod', () => {
  const doc = (method: string) => `${header}
<DataDictionary><DataField name="x" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/></DataDictionary>
<RegressionModel functionName="regression" normalizationMethod="${method}">
  <MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
  <RegressionTable intercept="0.5"><NumericPredictor name="x" coefficient="1"/></RegressionTable>
</RegressionModel></PMML>`;

  it('uses PMML loglog, exp(-exp(-y)), and cloglog, 1 - exp(-exp(y))', () => {
    expect(loadPmml(doc('loglog')).score({ x: 0 }).y).toBeCloseTo(Math.exp(-Math.exp(-0.5)), 14);
    expect(loadPmml(doc('cloglog')).score({ x: 0 }).y).toBeCloseTo(1 - Math.exp(-Math.exp(0.5)), 14);
  });
});

describe('ModelVerification', () => {
  const doc = (second: string) => `${header}
<DataDictionary><DataField name="x" optype="continuous" dataType="double"/><DataField name="y" optype="continuous" dataType="double"/></DataDictionary>
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
  <ModelVerification recordCount="2" fieldCount="2">
    <VerificationFields><VerificationField field="x"/><VerificationField field="y" precision="1e-9"/></VerificationFields>
    <InlineTable><row><x>1</x><y>3</y></row><row><x>2</x><y>${second}</y></row></InlineTable>
  </ModelVerification>
  <RegressionTable intercept="1"><NumericPredictor name="x" coefficient="2"/></RegressionTable>
</RegressionModel></PMML>`;

  it('scores the recorded inputs and compares them with the recorded results', () => {
    expect(loadPmml(doc('5')).verify()).toEqual({ records: 2, passed: 2, failures: [] });
    expect(loadPmml(doc('5.5')).verify()).toEqual({
      records: 2,
      passed: 1,
      failures: [{ record: 1, field: 'y', expected: '5.5', actual: 5 }],
    });
  });
});
