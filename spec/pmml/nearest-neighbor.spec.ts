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
