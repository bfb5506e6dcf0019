import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

const header = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';

/** A GeneralRegressionModel over x (continuous), g (categorical) and o (an offset). */
function grm(attrs: string, target: string, body: string): string {
  return `${header}<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="g" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/><Value value="c"/></DataField>
  <DataField name="o" optype="continuous" dataType="double"/>
  <DataField name="t" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
  <DataField name="c" optype="ordinal" dataType="string"><Value value="low"/><Value value="mid"/><Value value="high"/></DataField>
</DataDictionary>
<GeneralRegressionModel ${attrs}>
  <MiningSchema><MiningField name="x"/><MiningField name="g"/><MiningField name="o"/><MiningField name="t"/><MiningField name="${target}" usageType="target"/></MiningSchema>
  ${body}
</GeneralRegressionModel></PMML>`;
}

describe('GeneralRegressionModel', () => {
  it('builds the design vector from covariate powers and factor indicators', () => {
    const m = loadPmml(
      grm(
        'modelType="generalLinear" functionName="regression"',
        'y',
        `<ParameterList><Parameter name="p0"/><Parameter name="p1"/><Parameter name="p2"/></ParameterList>
         <FactorList><Predictor name="g"/></FactorList><CovariateList><Predictor name="x"/></CovariateList>
         <PPMatrix><PPCell value="2" predictorName="x" parameterName="p1"/><PPCell value="b" predictorName="g" parameterName="p2"/></PPMatrix>
         <ParamMatrix><PCell parameterName="p0" beta="1"/><PCell parameterName="p1" beta="3"/><PCell parameterName="p2" beta="2"/></ParamMatrix>`,
      ),
    );
    // 1 + 3 * 2^2 + 2 * [g = b]
    expect(m.score({ x: 2, g: 'b' }).y).toBe(15);
    expect(m.score({ x: 2, g: 'a' }).y).toBe(13);
    expect(m.score({ g: 'a' }).y).toBeNull();
  });

  it('applies the inverse link to the predictor plus the offset, times the trials', () => {
    const m = loadPmml(
      grm(
        'modelType="generalizedLinear" functionName="regression" linkFunction="log" offsetVariable="o" trialsValue="2"',
        'y',
        `<ParameterList><Parameter name="p0"/><Parameter name="p1"/></ParameterList><CovariateList><Predictor name="x"/></CovariateList>
         <PPMatrix><PPCell value="1" predictorName="x" parameterName="p1"/></PPMatrix>
         <ParamMatrix><PCell parameterName="p0" beta="0.5"/><PCell parameterName="p1" beta="0.25"/></ParamMatrix>`,
      ),
    );
    // 2 * exp(0.5 + 0.25 * 2 + 1)
    expect(m.score({ x: 2, o: 1 }).y).toBeCloseTo(2 * Math.exp(2), 13);
  });

  it('gives ordinal probabilities as differences of cumulative logits', () => {
    const m = loadPmml(
      grm(
        'modelType="ordinalMultinomial" functionName="classification" cumulativeLink="logit"',
        'c',
        `<Output><OutputField name="pl" feature="probability" value="low"/><OutputField name="pm" feature="probability" value="mid"/><OutputField name="ph" feature="probability" value="high"/></Output>
         <ParameterList><Parameter name="p0"/><Parameter name="p1"/></ParameterList><CovariateList><Predictor name="x"/></CovariateList>
         <PPMatrix><PPCell value="1" predictorName="x" parameterName="p1"/></PPMatrix>
         <ParamMatrix><PCell targetCategory="low" parameterName="p0" beta="-1"/><PCell targetCategory="mid" parameterName="p0" beta="1"/><PCell parameterName="p1" beta="0.5"/></ParamMatrix>`,
      ),
    );
    // x = 2: F(low) = logistic(-1 + 1) = 0.5, F(mid) = logistic(1 + 1); high takes the rest.
    const fMid = 1 / (1 + Math.exp(-2));
    const r = m.score({ x: 2 });
    expect(r.c).toBe('low');
    expect(r.pl).toBe(0.5);
    expect(r.pm).toBeCloseTo(fMid - 0.5, 15);
    expect(r.ph).toBeCloseTo(1 - fMid, 15);
    expect(JSON.stringify(m.pfa)).toContain('model.reg.linear');
  });

  it('scores a contrast-coded factor by the row of the record category and the column of the cell', () => {
    const m = loadPmml(
      grm(
        'modelType="regression" functionName="regression"',
        'y',
        `<ParameterList><Parameter name="p1"/></ParameterList>
         <FactorList><Predictor name="g" contrastMatrixType="Simple"><Categories><Category value="a"/><Category value="b"/></Categories>
           <Matrix nbRows="2" nbCols="1"><Array type="real" n="1">0.5</Array><Array type="real" n="1">-0.5</Array></Matrix></Predictor></FactorList>
         <PPMatrix><PPCell value="a" predictorName="g" parameterName="p1"/></PPMatrix>
         <ParamMatrix><PCell parameterName="p1" beta="4"/></ParamMatrix>`,
      ),
    );
    expect(m.score({ g: 'a' }).y).toBe(2);
    expect(m.score({ g: 'b' }).y).toBe(-2);
  });

  it('gives a Cox model the cumulative hazard of the record stratum at its end time', () => {
    // Parameter x with beta ln 2 and reference point 1: exp(r - s) = 2^(x - 1).
    const m = loadPmml(
      grm(
        'modelType="CoxRegression" functionName="regression" endTimeVariable="t" baselineStrataVariable="g"',
        'y',
        `<ParameterList><Parameter name="p1" referencePoint="1"/></ParameterList><CovariateList><Predictor name="x"/></CovariateList>
         <PPMatrix><PPCell value="1" predictorName="x" parameterName="p1"/></PPMatrix>
         <ParamMatrix><PCell parameterName="p1" beta="${Math.LN2}"/></ParamMatrix>
         <BaseCumHazardTables>
           <BaselineStratum value="a" maxTime="5"><BaselineCell time="3" cumHazard="0.4"/><BaselineCell time="1" cumHazard="0.1"/></BaselineStratum>
           <BaselineStratum value="b" maxTime="2"><BaselineCell time="2" cumHazard="1.5"/></BaselineStratum>
         </BaseCumHazardTables>`,
      ),
    );
    expect(m.score({ x: 2, g: 'a', t: 3.5 }).y).toBeCloseTo(0.8, 14);
    expect(m.score({ x: 3, g: 'a', t: 1 }).y).toBeCloseTo(0.4, 14);
    expect(m.score({ x: 2, g: 'b', t: 2 }).y).toBeCloseTo(3, 14);
    // Before the first time the hazard is 0; past maxTime, or in no listed stratum, it is missing.
    expect(m.score({ x: 2, g: 'a', t: 0.5 }).y).toBe(0);
    expect(m.score({ x: 2, g: 'a', t: 6 }).y).toBeNull();
    expect(m.score({ x: 2, g: 'c', t: 1 }).y).toBeNull();
    expect(m.score({ g: 'a', t: 1 }).y).toBeNull();
  });

  it('scores a Cox CovariateList predictor as a number even when its DataField is categorical', () => {
    // k is listed as a covariate (PPCell value 1: k to the power 1), beta ln 2 and reference point 2:
    // exp(r - s) = 2^(k - 2). An indicator coding of k = 1 would give 2^-2 for every k but 1.
    const m = loadPmml(`${header}<DataDictionary>
  <DataField name="k" optype="categorical" dataType="double"/>
  <DataField name="t" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
</DataDictionary>
<GeneralRegressionModel modelType="CoxRegression" functionName="regression" endTimeVariable="t">
  <MiningSchema><MiningField name="k"/><MiningField name="t"/><MiningField name="y" usageType="target"/></MiningSchema>
  <ParameterList><Parameter name="p1" referencePoint="2"/></ParameterList>
  <CovariateList><Predictor name="k"/></CovariateList>
  <PPMatrix><PPCell value="1" predictorName="k" parameterName="p1"/></PPMatrix>
  <ParamMatrix><PCell parameterName="p1" beta="${Math.LN2}"/></ParamMatrix>
  <BaseCumHazardTables maxTime="10">
    <BaselineCell time="1" cumHazard="0.1"/><BaselineCell time="4" cumHazard="0.5"/><BaselineCell time="8" cumHazard="1"/>
  </BaseCumHazardTables>
</GeneralRegressionModel></PMML>`);
    // The cell is the one with the largest time not above t: time 4 for t = 5, not the first.
    expect(m.score({ k: 3, t: 5 }).y).toBeCloseTo(1, 14);
    expect(m.score({ k: 1, t: 4 }).y).toBeCloseTo(0.25, 14);
    expect(m.score({ k: 4, t: 9 }).y).toBeCloseTo(4, 14);
    expect(m.score({ k: 3, t: 10.5 }).y).toBeNull();
  });

  it('reports an unsupported modelType at its element', () => {
    expect(() => loadPmml(grm('modelType="unknownType" functionName="regression"', 'y', '<ParamMatrix/>'))).toThrow(
      /modelType unknownType is not supported/,
    );
  });
});
