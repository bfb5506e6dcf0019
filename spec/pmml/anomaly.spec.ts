import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

const header = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';
const dictionary = '<DataDictionary><DataField name="a" optype="continuous" dataType="double"/></DataDictionary>';

describe('AnomalyDetectionModel', () => {
  it("iforest: 2^(-E / c(n)) over the embedded model's average path length E", () => {
    const m = loadPmml(`${header}${dictionary}
<AnomalyDetectionModel functionName="regression" algorithmType="iforest" sampleDataSize="5">
  <MiningSchema><MiningField name="a"/></MiningSchema>
  <Output><OutputField name="score" feature="predictedValue" dataType="double"/></Output>
  <TreeModel functionName="regression">
    <MiningSchema><MiningField name="a"/></MiningSchema>
    <Node score="0"><True/><Node score="2"><SimplePredicate field="a" operator="lessThan" value="1"/></Node><Node score="3"><True/></Node></Node>
  </TreeModel>
</AnomalyDetectionModel></PMML>`);
    const c = 2 * (Math.log(4) + 0.57721566) - 8 / 5;
    expect(m.score({ a: 0 }).score).toBeCloseTo(2 ** (-2 / c), 15);
    expect(m.score({ a: 5 }).score).toBeCloseTo(2 ** (-3 / c), 15);
  });

  it('clusterMeanDist: the distance to the winning cluster over its mean distance', () => {
    const m = loadPmml(`${header}${dictionary}
<AnomalyDetectionModel functionName="regression" algorithmType="clusterMeanDist">
  <MiningSchema><MiningField name="a"/></MiningSchema>
  <Output><OutputField name="score" feature="predictedValue" dataType="double"/></Output>
  <ClusteringModel functionName="clustering" modelClass="centerBased" numberOfClusters="2">
    <MiningSchema><MiningField name="a"/></MiningSchema>
    <ComparisonMeasure kind="distance"><euclidean/></ComparisonMeasure>
    <ClusteringField field="a"/>
    <Cluster><Array n="1" type="real">0</Array></Cluster>
    <Cluster><Array n="1" type="real">10</Array></Cluster>
  </ClusteringModel>
  <MeanClusterDistances><Array n="2" type="real">2 4</Array></MeanClusterDistances>
</AnomalyDetectionModel></PMML>`);
    // a = 3: nearest is the first cluster at 3, over 2; a = 9: the second at 1, over 4
    expect(m.score({ a: 3 }).score).toBe(1.5);
    expect(m.score({ a: 9 }).score).toBe(0.25);
    expect(m.score({}).score).toBeNull();
  });
});
