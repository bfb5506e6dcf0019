/**
 * Producers' spellings and conventions read as JPMML-Evaluator reads them: boolean values in any
 * case or as 0/1, NaiveBayes with a zero threshold, JPMML's `x-` names of PMML 4.4 features, and
 * the order in which a float XGBoost sum adds its base score.
 */
import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';
import { TrajanError } from '../../src/errors.js';

const header = (version = '4.4', application = '<Application name="test" version="1"/>') =>
  `<PMML xmlns="http://www.dmg.org/PMML-${version.replace('.', '_')}" version="${version}"><Header>${application}</Header>`;

describe('boolean fields', () => {
  const doc = (valueList: string, rows: string) => `${header()}
<DataDictionary>
  <DataField name="y" optype="continuous" dataType="double"/>
  <DataField name="flag" optype="categorical" dataType="boolean">${valueList}</DataField>
</DataDictionary>
<TransformationDictionary>
  <DerivedField name="m" optype="continuous" dataType="double">
    <MapValues outputColumn="out" dataType="double"><FieldColumnPair field="flag" column="in"/><InlineTable>${rows}</InlineTable></MapValues>
  </DerivedField>
</TransformationDictionary>
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="y" usageType="target"/><MiningField name="flag" invalidValueTreatment="asMissing"/></MiningSchema>
  <RegressionTable intercept="1"><NumericPredictor name="m" coefficient="1"/></RegressionTable>
</RegressionModel></PMML>`;

  it('loads a boolean DataField with a Value list, in the spellings producers write', () => {
    for (const values of [
      '<Value value="false"/><Value value="true"/>',
      '<Value value="FALSE"/><Value value="TRUE"/>',
      '<Value value="0"/><Value value="1"/>',
    ]) {
      const m = loadPmml(doc(values, '<row><in>true</in><out>5</out></row><row><in>false</in><out>2</out></row>'));
      expect(m.score({ flag: true }).y).toBe(6);
      expect(m.score({ flag: false }).y).toBe(3);
    }
  });

  it('takes TRUE/FALSE in any case and 0/1 as input values', () => {
    const m = loadPmml(
      doc('<Value value="false"/><Value value="true"/>', '<row><in>true</in><out>5</out></row><row><in>false</in><out>2</out></row>'),
    );
    for (const t of [true, 'true', 'TRUE', 'True', 1, '1']) expect(m.score({ flag: t }).y).toBe(6);
    for (const f of [false, 'false', 'FALSE', 'False', 0, '0']) expect(m.score({ flag: f }).y).toBe(3);
    expect(() => m.score({ flag: 'yes' })).toThrow(TrajanError);
    expect(() => m.score({ flag: 2 })).toThrow(TrajanError);
  });

  it('matches InlineTable cells true, TRUE and 1 against a boolean true', () => {
    for (const [t, f] of [
      ['TRUE', 'FALSE'],
      ['1', '0'],
      ['True', 'false'],
    ] as const) {
      const m = loadPmml(doc('', `<row><in>${t}</in><out>5</out></row><row><in>${f}</in><out>2</out></row>`));
      expect(m.score({ flag: true }).y).toBe(6);
      expect(m.score({ flag: false }).y).toBe(3);
    }
  });

  it('rejects a boolean cell that is no boolean, at its element', () => {
    try {
      loadPmml(doc('', '<row><in>maybe</in><out>5</out></row>'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TrajanError);
      expect((e as TrajanError).code).toBe('pmml-bad-value');
      expect((e as TrajanError).location?.line).toBeGreaterThan(1);
    }
  });
});

describe('NaiveBayesModel with threshold 0', () => {
  const doc = (priorC2 = 10) => `${header()}
<DataDictionary>
  <DataField name="g" optype="categorical" dataType="string"><Value value="u"/><Value value="v"/></DataField>
  <DataField name="k" optype="categorical" dataType="string"><Value value="c1"/><Value value="c2"/></DataField>
</DataDictionary>
<NaiveBayesModel functionName="classification" threshold="0">
  <MiningSchema><MiningField name="g"/><MiningField name="k" usageType="target"/></MiningSchema>
  <Output><OutputField name="p1" feature="probability" value="c1"/><OutputField name="p2" feature="probability" value="c2"/></Output>
  <BayesInputs><BayesInput fieldName="g">
    <PairCounts value="u"><TargetValueCounts><TargetValueCount value="c1" count="10"/><TargetValueCount value="c2" count="0"/></TargetValueCounts></PairCounts>
    <PairCounts value="v"><TargetValueCounts><TargetValueCount value="c1" count="20"/><TargetValueCount value="c2" count="10"/></TargetValueCounts></PairCounts>
  </BayesInput></BayesInputs>
  <BayesOutput fieldName="k"><TargetValueCounts><TargetValueCount value="c1" count="30"/><TargetValueCount value="c2" count="${priorC2}"/></TargetValueCounts></BayesOutput>
</NaiveBayesModel></PMML>`;

  it('gives a category with a zero count probability 0', () => {
    const m = loadPmml(doc());
    expect(m.score({ g: 'u' })).toMatchObject({ k: 'c1', p1: 1, p2: 0 });
    // c1: 30 * 20/30 = 20; c2: 10 * 10/10 = 10.
    expect(m.score({ g: 'v' }).p1).toBeCloseTo(2 / 3, 15);
    expect(m.score({}).p1).toBeCloseTo(3 / 4, 15);
  });

  it('never predicts a category whose prior count is 0', () => {
    const m = loadPmml(doc(0));
    expect(m.score({ g: 'v' })).toMatchObject({ k: 'c1', p1: 1, p2: 0 });
  });
});

describe("JPMML's x- spellings of PMML 4.4 features", () => {
  const doc = (method: string, fn: string, treatment: string) => `${header('4.3')}
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
</DataDictionary>
<TransformationDictionary>
  <DerivedField name="e" optype="continuous" dataType="double"><Apply function="${fn}"><FieldRef field="x"/></Apply></DerivedField>
</TransformationDictionary>
<MiningModel functionName="regression">
  <MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/></MiningSchema>
  <Segmentation multipleModelMethod="${method}" ${treatment}>
    ${[1, 2, 10]
      .map(
        (c, i) => `<Segment id="${i}" weight="${i === 2 ? 3 : 1}"><True/><RegressionModel functionName="regression">
      <MiningSchema><MiningField name="e"/><MiningField name="y" usageType="target"/></MiningSchema>
      <RegressionTable intercept="${c}"><NumericPredictor name="e" coefficient="1"/></RegressionTable></RegressionModel></Segment>`,
      )
      .join('\n')}
  </Segmentation>
</MiningModel></PMML>`;

  it('reads x-weightedMedian, x-weightedSum and x-prefixed 4.4 functions as the 4.4 names', () => {
    const median = loadPmml(doc('x-weightedMedian', 'x-expm1', ''));
    const same = loadPmml(doc('weightedMedian', 'expm1', ''));
    // Weights 1, 1, 3: the weighted median is the third segment's value.
    expect(median.score({ x: 0.5 }).y).toBe(10 + Math.expm1(0.5));
    expect(median.score({ x: 0.5 })).toEqual(same.score({ x: 0.5 }));
    const sum = loadPmml(doc('x-weightedSum', 'x-sin', ''));
    expect(sum.score({ x: 0 }).y).toBe(1 + 2 + 30);
  });

  it('reads x-missingPredictionTreatment', () => {
    const m = loadPmml(doc('x-weightedSum', 'x-ln1p', 'x-missingPredictionTreatment="returnMissing"'));
    expect(m.score({ x: 0 }).y).toBe(33);
  });

  it('keeps other x- names unsupported, with their location', () => {
    for (const [method, fn] of [
      ['x-whatever', 'exp'],
      ['sum', 'x-nosuchfunction'],
    ] as const) {
      try {
        loadPmml(doc(method, fn, ''));
        expect.unreachable();
      } catch (e) {
        expect((e as TrajanError).code).toMatch(/^pmml-/);
        expect((e as TrajanError).location?.line).toBeGreaterThan(1);
      }
    }
  });
});

describe('the base score of a float XGBoost sum', () => {
  // Three trees whose float32 sum depends on where 0.5 is added: (0.5 + a) + b + c or (a + b + c) + 0.5.
  const scores = [7.739, 0.324, -0.163];
  const doc = (version: string, application: string) => `${header(version, application)}
<DataDictionary><DataField name="x" optype="continuous" dataType="float"/><DataField name="y" optype="continuous" dataType="float"/></DataDictionary>
<MiningModel functionName="regression" x-mathContext="float">
  <MiningSchema><MiningField name="y" usageType="target"/><MiningField name="x"/></MiningSchema>
  <Targets><Target field="y" rescaleConstant="0.5"/></Targets>
  <Segmentation multipleModelMethod="sum">
    ${scores
      .map(
        (
          s,
          i,
        ) => `<Segment id="${i}"><True/><TreeModel functionName="regression" x-mathContext="float"><MiningSchema><MiningField name="x"/></MiningSchema>
      <Node score="${s}"><True/></Node></TreeModel></Segment>`,
      )
      .join('\n')}
  </Segmentation>
</MiningModel></PMML>`;
  const f = Math.fround;
  const first = f(f(f(f(0.5) + f(scores[0]!)) + f(scores[1]!)) + f(scores[2]!));
  const last = f(f(f(f(scores[0]!) + f(scores[1]!)) + f(scores[2]!)) + f(0.5));

  it('has orders that differ in float32 for these trees', () => {
    expect(first).not.toBe(last);
  });

  it('adds it first in PMML 4.4 documents (XGBoost 1.0 and later)', () => {
    expect(loadPmml(doc('4.4', '<Application name="SkLearn2PMML package" version="0.126.0"/>')).score({ x: 1 }).y).toBe(first);
  });

  it('adds it last in documents of the converters of XGBoost 0.x', () => {
    expect(loadPmml(doc('4.3', '<Application name="JPMML-SparkML" version="1.5.7"/>')).score({ x: 1 }).y).toBe(last);
    expect(loadPmml(doc('4.4', '<Application name="JPMML-XGBoost" version="1.5.2"/>')).score({ x: 1 }).y).toBe(last);
    expect(loadPmml(doc('4.4', '<Application name="JPMML-XGBoost" version="1.8.1"/>')).score({ x: 1 }).y).toBe(first);
  });
});
