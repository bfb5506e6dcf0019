import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

const header = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';

function clustering(measure: string, fields: string, extra = '', kind = 'distance'): string {
  return `${header}<DataDictionary>
  <DataField name="a" optype="continuous" dataType="double"/>
  <DataField name="b" optype="continuous" dataType="double"/>
</DataDictionary>
<ClusteringModel functionName="clustering" modelClass="centerBased" numberOfClusters="2">
  <MiningSchema><MiningField name="a"/><MiningField name="b"/></MiningSchema>
  <Output>
    <OutputField name="id" feature="predictedValue"/>
    <OutputField name="name" feature="predictedDisplayValue"/>
    <OutputField name="d1" feature="clusterAffinity" value="c1"/>
    <OutputField name="d2" feature="clusterAffinity" value="2"/>
  </Output>
  <ComparisonMeasure kind="${kind}">${measure}</ComparisonMeasure>
  ${fields}${extra}
  <Cluster id="c1" name="near"><Array n="2" type="real">0 0</Array></Cluster>
  <Cluster name="far"><Array n="2" type="real">10 4</Array></Cluster>
</ClusteringModel></PMML>`;
}

const plain = '<ClusteringField field="a"/><ClusteringField field="b"/>';

describe('ClusteringModel', () => {
  it('predicts the nearest cluster id; display value is its name; affinities are distances by id', () => {
    const m = loadPmml(clustering('<squaredEuclidean/>', plain));
    // (3, 4): 9 + 16 = 25 to c1; 49 + 0 = 49 to the second cluster, whose id is its position "2"
    expect(m.score({ a: 3, b: 4 })).toEqual({ id: 'c1', name: 'near', d1: 25, d2: 49 });
    expect(m.score({ a: 8, b: 4 })).toEqual({ id: '2', name: 'far', d1: 80, d2: 4 });
  });

  it('computes euclidean, cityBlock, chebychev and minkowski distances', () => {
    expect(loadPmml(clustering('<euclidean/>', plain)).score({ a: 3, b: 4 }).d1).toBe(5);
    expect(loadPmml(clustering('<cityBlock/>', plain)).score({ a: 3, b: 4 }).d1).toBe(7);
    expect(loadPmml(clustering('<chebychev/>', plain)).score({ a: 3, b: 4 }).d1).toBe(4);
    expect(loadPmml(clustering('<minkowski p-parameter="3"/>', plain)).score({ a: 3, b: 4 }).d1).toBeCloseTo(91 ** (1 / 3), 14);
  });

  it('weights fields and rescales around missing values with MissingValueWeights', () => {
    const weighted = '<ClusteringField field="a" fieldWeight="2"/><ClusteringField field="b" fieldWeight="0.5"/>';
    // 2 * 3^2 + 0.5 * 4^2 = 26
    expect(loadPmml(clustering('<squaredEuclidean/>', weighted)).score({ a: 3, b: 4 }).d1).toBe(26);
    const mvw = '<MissingValueWeights><Array n="2" type="real">3 1</Array></MissingValueWeights>';
    const m = loadPmml(clustering('<squaredEuclidean/>', plain, mvw));
    // b missing: 3^2 scaled by (3 + 1) / 3
    expect(m.score({ a: 3 }).d1).toBe(12);
    expect(m.score({}).id).toBeNull();
  });

  it('compares with gaussSim and picks the most similar cluster for a similarity measure', () => {
    const gauss =
      '<ClusteringField field="a" compareFunction="gaussSim" similarityScale="2"/><ClusteringField field="b" compareFunction="gaussSim" similarityScale="2"/>';
    const m = loadPmml(clustering('<cityBlock/>', gauss, '', 'similarity'));
    // (0, 2) to c1: exp(-ln2 * 0 / 4) + exp(-ln2 * 4 / 4) = 1 + 0.5
    expect(m.score({ a: 0, b: 2 }).d1).toBeCloseTo(1.5, 15);
    expect(m.score({ a: 0, b: 2 }).id).toBe('c1');
  });
});
