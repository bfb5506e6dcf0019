import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

const header = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';

// Training rows name the untransformed field x; the KNN input is dx = x / 10 (a LocalTransformation).
//   id  x  y   label
//   r1  0  1   a
//   r2  2  2   b
//   r3  5  6   b
//   r4  9  10  b
function knn(k: number, methods: string, measure = '<squaredEuclidean/>', kind = 'distance'): string {
  const row = (id: string, x: number, y: number, label: string) => `<row><ID>${id}</ID><X>${x}</X><Y>${y}</Y><L>${label}</L></row>`;
  return `${header}<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
  <DataField name="label" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField>
</DataDictionary>
<NearestNeighborModel functionName="mixed" numberOfNeighbors="${k}" instanceIdVariable="id" ${methods}>
  <MiningSchema><MiningField name="x"/><MiningField name="y" usageType="target"/><MiningField name="label" usageType="target"/></MiningSchema>
  <Output>
    <OutputField name="predY" feature="predictedValue" targetField="y" dataType="double"/>
    <OutputField name="predLabel" feature="predictedValue" targetField="label" dataType="string"/>
    <OutputField name="probB" feature="probability" targetField="label" value="b"/>
    <OutputField name="n1" feature="entityId" rank="1"/>
    <OutputField name="n2" feature="entityId" rank="2"/>
    <OutputField name="n3" feature="entityId" rank="3"/>
    <OutputField name="d1" feature="affinity" rank="1"/>
    <OutputField name="d3" feature="affinity" rank="3"/>
  </Output>
  <LocalTransformations>
    <DerivedField name="dx" optype="continuous" dataType="double">
      <NormContinuous field="x"><LinearNorm orig="0" norm="0"/><LinearNorm orig="10" norm="1"/></NormContinuous>
    </DerivedField>
  </LocalTransformations>
  <TrainingInstances isTransformed="false">
    <InstanceFields>
      <InstanceField field="id" column="ID"/><InstanceField field="x" column="X"/>
      <InstanceField field="y" column="Y"/><InstanceField field="label" column="L"/>
    </InstanceFields>
    <InlineTable>${row('r1', 0, 1, 'a')}${row('r2', 2, 2, 'b')}${row('r3', 5, 6, 'b')}${row('r4', 9, 10, 'b')}</InlineTable>
  </TrainingInstances>
  <ComparisonMeasure kind="${kind}">${measure}</ComparisonMeasure>
  <KNNInputs><KNNInput field="dx" compareFunction="absDiff"/></KNNInputs>
</NearestNeighborModel></PMML>`;
}

describe('NearestNeighborModel', () => {
  it('transforms the training rows, ranks neighbours and averages and votes per target', () => {
    const m = loadPmml(knn(3, 'continuousScoringMethod="average" categoricalScoringMethod="majorityVote"'));
    // x = 1: dx = 0.1; squared distances r1 0.01, r2 0.01 (a tie keeps table order), r3 0.16, r4 0.64.
    const r = m.score({ x: 1 });
    expect(r).toMatchObject({ y: 3, label: 'b', predY: 3, predLabel: 'b', n1: 'r1', n2: 'r2', n3: 'r3' }); // y: (1 + 2 + 6) / 3; labels a, b, b
    expect(r.probB).toBeCloseTo(2 / 3, 15);
    expect(r.d1).toBeCloseTo(0.01, 15);
    expect(r.d3).toBeCloseTo(0.16, 15);
    expect(m.targetFields.map((t) => t.name).sort()).toEqual(['label', 'y']);
  });

  it('computes the median and the weighted average with weights 1 / (distance + threshold)', () => {
    expect(loadPmml(knn(3, 'continuousScoringMethod="median"')).score({ x: 1 }).predY).toBe(2);
    const w = [1 / (0.01 + 0.001), 1 / (0.01 + 0.001), 1 / (0.16 + 0.001)];
    const expected = (w[0]! * 1 + w[1]! * 2 + w[2]! * 6) / (w[0]! + w[1]! + w[2]!);
    const r = loadPmml(knn(3, 'continuousScoringMethod="weightedAverage"')).score({ x: 1 });
    expect(r.predY).toBeCloseTo(expected, 12);
    // The categorical target keeps its plain majority vote: b has 2 of 3 votes.
    expect(r.probB).toBeCloseTo(2 / 3, 15);
  });

  it('breaks a vote tie by the number of training instances per category', () => {
    // k = 2 at x = 1: r1 (a) and r2 (b) tie one vote each; b has 3 training instances, a has 1.
    const r = loadPmml(knn(2, '')).score({ x: 1 });
    expect(r.predLabel).toBe('b');
    expect(r.probB).toBe(0.5);
    expect(r.n3).toBeNull();
  });

  it('weighs votes by inverse distance for weightedMajorityVote', () => {
    // k = 2 at x = 0.2: dx = 0.02; r1 at 0.0004 (a), r2 at 0.0324 (b): a's weight is far larger.
    const r = loadPmml(knn(2, 'categoricalScoringMethod="weightedMajorityVote"')).score({ x: 0.2 });
    const [wa, wb] = [1 / (0.0004 + 0.001), 1 / (0.0324 + 0.001)];
    expect(r.predLabel).toBe('a');
    expect(r.probB).toBeCloseTo(wb / (wa + wb), 12);
  });

  it('takes the most similar neighbours for a similarity measure', () => {
    // gaussSim with scale 0.1: exp(-ln 2 * d^2 / 0.01); nearest has the largest similarity.
    const measure = '<euclidean compareFunction="gaussSim"/>';
    const doc = knn(1, '', measure, 'similarity').replace('compareFunction="absDiff"', 'compareFunction="gaussSim" similarityScale="0.1"');
    expect(loadPmml(doc).score({ x: 8 })).toMatchObject({ n1: 'r4', predLabel: 'b' });
  });

  it('predicts nothing when a KNN input is missing', () => {
    expect(loadPmml(knn(3, '')).score({})).toMatchObject({ y: null, label: null, n1: null, d1: null, probB: null });
  });
});

describe('NearestNeighborModel training rows mapped by InstanceField', () => {
  // The table's columns (ID first, then the fields under other names) are in another order than the
  // MiningSchema; the KNN inputs are a NormContinuous of age, 0/1 indicators of status (NormDiscrete)
  // and the raw field kids. Each training row is transformed by field name, as the input is.
  const doc = `${header}<DataDictionary>
  <DataField name="status" optype="categorical" dataType="string"><Value value="u"/><Value value="v"/></DataField>
  <DataField name="age" optype="continuous" dataType="double"/>
  <DataField name="kids" optype="continuous" dataType="double"/>
  <DataField name="band" optype="categorical" dataType="string"><Value value="lo"/><Value value="mid"/><Value value="hi"/></DataField>
</DataDictionary>
<NearestNeighborModel functionName="classification" numberOfNeighbors="3" instanceIdVariable="key" categoricalScoringMethod="majorityVote">
  <MiningSchema><MiningField name="status"/><MiningField name="age"/><MiningField name="kids"/><MiningField name="band" usageType="target"/></MiningSchema>
  <Output>
    <OutputField name="n1" feature="entityId" rank="1" dataType="string"/><OutputField name="n2" feature="entityId" rank="2" dataType="string"/>
    <OutputField name="n3" feature="entityId" rank="3" dataType="string"/>
    <OutputField name="d1" feature="affinity" rank="1" dataType="double"/><OutputField name="d3" feature="affinity" rank="3" dataType="double"/>
  </Output>
  <LocalTransformations>
    <DerivedField name="nAge" optype="continuous" dataType="double">
      <NormContinuous field="age"><LinearNorm orig="0" norm="0"/><LinearNorm orig="50" norm="1"/></NormContinuous>
    </DerivedField>
    <DerivedField name="isU" optype="continuous" dataType="double"><NormDiscrete field="status" value="u"/></DerivedField>
    <DerivedField name="isV" optype="continuous" dataType="double"><NormDiscrete field="status" value="v"/></DerivedField>
  </LocalTransformations>
  <TrainingInstances isTransformed="false">
    <InstanceFields>
      <InstanceField field="key" column="K"/><InstanceField field="status" column="S"/><InstanceField field="age" column="A"/>
      <InstanceField field="kids" column="N"/><InstanceField field="band" column="B"/>
    </InstanceFields>
    <InlineTable>
      <row><K>k1</K><S>v</S><A>40</A><N>3</N><B>lo</B></row>
      <row><K>k2</K><S>u</S><A>30</A><N>2</N><B>lo</B></row>
      <row><K>k3</K><S>v</S><A>20</A><N>1</N><B>mid</B></row>
      <row><K>k4</K><S>v</S><A>10</A><N>0</N><B>hi</B></row>
    </InlineTable>
  </TrainingInstances>
  <ComparisonMeasure kind="distance"><squaredEuclidean/></ComparisonMeasure>
  <KNNInputs>
    <KNNInput field="nAge"/><KNNInput field="isU"/><KNNInput field="isV"/><KNNInput field="kids"/>
  </KNNInputs>
</NearestNeighborModel></PMML>`;

  it('transforms each untransformed row by name and ranks by the distance over the derived inputs', () => {
    // Input (u, 25, 1): nAge 0.5, isU 1, isV 0, kids 1. Squared distances:
    //   k1 (v, 40, 3): 0.3^2 + 1 + 1 + 4 = 6.09
    //   k2 (u, 30, 2): 0.1^2 + 0 + 0 + 1 = 1.01
    //   k3 (v, 20, 1): 0.1^2 + 1 + 1 + 0 = 2.01
    //   k4 (v, 10, 0): 0.3^2 + 1 + 1 + 1 = 3.09
    // so the neighbours are k2, k3, k4, not the table order k1, k2, k3. Their bands lo, mid, hi tie one
    // vote each; lo has the most training rows (2), so it wins the tie.
    const r = loadPmml(doc).score({ status: 'u', age: 25, kids: 1 });
    expect(r).toMatchObject({ band: 'lo', n1: 'k2', n2: 'k3', n3: 'k4' });
    expect(r.d1).toBeCloseTo(1.01, 12);
    expect(r.d3).toBeCloseTo(3.09, 12);
  });
});
