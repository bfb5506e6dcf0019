import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';
import { loadPfa } from '../../src/pfa/load.js';
import type { TrajanError } from '../../src/errors.js';

const HEAD = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';
const vp = (value: string, p: number) => `<ValueProbability value="${value}" probability="${p}"/>`;
const pv = (parent: string, value: string) => `<ParentValue parent="${parent}" value="${value}"/>`;
const normal = (mean: string, variance: string) =>
  `<ContinuousDistribution><NormalDistributionForBN><Mean>${mean}</Mean><Variance>${variance}</Variance></NormalDistributionForBN></ContinuousDistribution>`;
const num = (x: number) => `<Constant dataType="double">${x}</Constant>`;

/**
 * Rain -> Sprinkler, (Rain, Sprinkler) -> Wet:
 *   P(R=y) = 0.2
 *   P(S=on | R=y) = 0.01, P(S=on | R=n) = 0.4
 *   P(W=wet | S=on, R=y) = 0.99, (on, n) 0.9, (off, y) 0.8, (off, n) 0
 */
const sprinkler = `${HEAD}
<DataDictionary>
  <DataField name="R" optype="categorical" dataType="string"><Value value="y"/><Value value="n"/></DataField>
  <DataField name="S" optype="categorical" dataType="string"/>
  <DataField name="W" optype="categorical" dataType="string"/>
</DataDictionary>
<BayesianNetworkModel functionName="classification" modelName="sprinkler">
  <MiningSchema><MiningField name="S"/><MiningField name="W"/><MiningField name="R" usageType="target"/></MiningSchema>
  <Output><OutputField name="pred" feature="predictedValue"/><OutputField name="pRain" feature="probability" value="y"/><OutputField name="pNo" feature="probability" value="n"/></Output>
  <BayesianNetworkNodes>
    <DiscreteNode name="W">
      <DiscreteConditionalProbability>${pv('S', 'on')}${pv('R', 'y')}${vp('wet', 0.99)}${vp('dry', 0.01)}</DiscreteConditionalProbability>
      <DiscreteConditionalProbability>${pv('S', 'on')}${pv('R', 'n')}${vp('wet', 0.9)}${vp('dry', 0.1)}</DiscreteConditionalProbability>
      <DiscreteConditionalProbability>${pv('R', 'y')}${pv('S', 'off')}${vp('wet', 0.8)}${vp('dry', 0.2)}</DiscreteConditionalProbability>
      <DiscreteConditionalProbability>${pv('S', 'off')}${pv('R', 'n')}${vp('dry', 1)}</DiscreteConditionalProbability>
    </DiscreteNode>
    <DiscreteNode name="R">${vp('y', 0.2)}${vp('n', 0.8)}</DiscreteNode>
    <DiscreteNode name="S">
      <DiscreteConditionalProbability>${pv('R', 'y')}${vp('on', 0.01)}${vp('off', 0.99)}</DiscreteConditionalProbability>
      <DiscreteConditionalProbability>${pv('R', 'n')}${vp('on', 0.4)}${vp('off', 0.6)}</DiscreteConditionalProbability>
    </DiscreteNode>
  </BayesianNetworkNodes>
</BayesianNetworkModel></PMML>`;

describe('BayesianNetworkModel: discrete nodes', () => {
  const m = loadPmml(sprinkler);

  it('without evidence predicts the prior of the target', () => {
    const r = m.score({});
    expect(r.pred).toBe('n');
    expect(r.pRain).toBeCloseTo(0.2, 15);
  });

  it('sums over an unobserved parent (S) of the evidence', () => {
    // R=y: 0.2 * (0.01 * 0.99 + 0.99 * 0.8) = 0.2 * 0.8019 = 0.16038
    // R=n: 0.8 * (0.4 * 0.9 + 0.6 * 0) = 0.288
    const r = m.score({ W: 'wet' });
    expect(r.pred).toBe('n');
    expect(r.pRain).toBeCloseTo(0.16038 / (0.16038 + 0.288), 14);
    expect(r.pNo).toBeCloseTo(0.288 / (0.16038 + 0.288), 14);
  });

  it('conditions on every observed node', () => {
    // R=y: 0.2 * 0.99 * 0.8 = 0.1584; R=n: 0.8 * 0.6 * 0 = 0.
    const r = m.score({ S: 'off', W: 'wet' });
    expect(r.pred).toBe('y');
    expect(r.pRain).toBeCloseTo(1, 15);
    // S=on alone: R=y 0.2 * 0.01 = 0.002, R=n 0.8 * 0.4 = 0.32 (W unobserved sums to 1).
    expect(m.score({ S: 'on' }).pRain).toBeCloseTo(0.002 / 0.322, 15);
  });

  it('predicts nothing for a value the node does not have', () => {
    const r = m.score({ W: 'mud' });
    expect(r.pred).toBeNull();
    expect(r.pRain).toBeNull();
  });

  it('converts to PFA that loads on its own', () => {
    const engine = loadPfa(JSON.parse(JSON.stringify(m.pfa)) as object);
    expect(engine).toBeDefined();
  });
});

/**
 * C -> X, C -> U, C -> T, C -> L, X -> Y:
 *   P(C=a) = 0.6, P(C=b) = 0.4
 *   X | a ~ Normal(0, 1), X | b ~ Normal(2, 4)
 *   Y | X ~ Normal(2X + 1, 1)
 *   U | a ~ Uniform(0, 1), U | b ~ Uniform(0, 2)
 *   T | a ~ Triangular(mean 1, lower 0, upper 3): mode 3*1 - 0 - 3 = 0
 *   T | b ~ Triangular(mean 2, lower 0, upper 3): mode 3*2 - 0 - 3 = 3
 *   L | a ~ Lognormal(0, 1), L | b ~ Lognormal(1, 1) (mean and variance of ln L)
 */
const hybrid = `${HEAD}
<DataDictionary>
  <DataField name="C" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField>
  <DataField name="X" optype="continuous" dataType="double"/>
  <DataField name="Y" optype="continuous" dataType="double"/>
  <DataField name="U" optype="continuous" dataType="double"/>
  <DataField name="T" optype="continuous" dataType="double"/>
  <DataField name="L" optype="continuous" dataType="double"/>
</DataDictionary>
<BayesianNetworkModel functionName="classification">
  <MiningSchema>
    <MiningField name="X"/><MiningField name="Y"/><MiningField name="U"/><MiningField name="T"/><MiningField name="L"/>
    <MiningField name="C" usageType="target"/>
  </MiningSchema>
  <Output><OutputField name="pA" feature="probability" value="a"/></Output>
  <BayesianNetworkNodes>
    <DiscreteNode name="C">${vp('a', 0.6)}${vp('b', 0.4)}</DiscreteNode>
    <ContinuousNode name="X">
      <ContinuousConditionalProbability>${pv('C', 'a')}${normal(num(0), num(1))}</ContinuousConditionalProbability>
      <ContinuousConditionalProbability>${pv('C', 'b')}${normal(num(2), num(4))}</ContinuousConditionalProbability>
    </ContinuousNode>
    <ContinuousNode name="Y">
      ${normal(`<Apply function="+"><Apply function="*">${num(2)}<FieldRef field="X"/></Apply>${num(1)}</Apply>`, num(1))}
    </ContinuousNode>
    <ContinuousNode name="U">
      <ContinuousConditionalProbability>${pv('C', 'a')}<ContinuousDistribution><UniformDistributionForBN><Lower>${num(0)}</Lower><Upper>${num(1)}</Upper></UniformDistributionForBN></ContinuousDistribution></ContinuousConditionalProbability>
      <ContinuousConditionalProbability>${pv('C', 'b')}<ContinuousDistribution><UniformDistributionForBN><Lower>${num(0)}</Lower><Upper>${num(2)}</Upper></UniformDistributionForBN></ContinuousDistribution></ContinuousConditionalProbability>
    </ContinuousNode>
    <ContinuousNode name="T">
      <ContinuousConditionalProbability>${pv('C', 'a')}<ContinuousDistribution><TriangularDistributionForBN><Mean>${num(1)}</Mean><Lower>${num(0)}</Lower><Upper>${num(3)}</Upper></TriangularDistributionForBN></ContinuousDistribution></ContinuousConditionalProbability>
      <ContinuousConditionalProbability>${pv('C', 'b')}<ContinuousDistribution><TriangularDistributionForBN><Mean>${num(2)}</Mean><Lower>${num(0)}</Lower><Upper>${num(3)}</Upper></TriangularDistributionForBN></ContinuousDistribution></ContinuousConditionalProbability>
    </ContinuousNode>
    <ContinuousNode name="L">
      <ContinuousConditionalProbability>${pv('C', 'a')}<ContinuousDistribution><LognormalDistributionForBN><Mean>${num(0)}</Mean><Variance>${num(1)}</Variance></LognormalDistributionForBN></ContinuousDistribution></ContinuousConditionalProbability>
      <ContinuousConditionalProbability>${pv('C', 'b')}<ContinuousDistribution><LognormalDistributionForBN><Mean>${num(1)}</Mean><Variance>${num(1)}</Variance></LognormalDistributionForBN></ContinuousDistribution></ContinuousConditionalProbability>
    </ContinuousNode>
  </BayesianNetworkNodes>
</BayesianNetworkModel></PMML>`;

describe('BayesianNetworkModel: continuous nodes', () => {
  const m = loadPmml(hybrid);

  it('weighs states by normal densities', () => {
    // a: 0.6 * exp(-1/2) / sqrt(2 pi); b: 0.4 * exp(-(1-2)^2 / 8) / sqrt(8 pi) = 0.2 * exp(-1/8) / sqrt(2 pi).
    const a = 0.6 * Math.exp(-0.5);
    const b = 0.2 * Math.exp(-0.125);
    expect(m.score({ X: 1 }).pA).toBeCloseTo(a / (a + b), 14);
    // Y depends on X alone: observed with X, its density is the same in every state and cancels.
    expect(m.score({ X: 1, Y: 5 }).pA).toBeCloseTo(a / (a + b), 14);
  });

  it('predicts nothing when a child is observed but the continuous parent its parameters need is not', () => {
    expect(m.score({ Y: 5 }).pA).toBeNull();
  });

  it('integrates out unobserved continuous nodes', () => {
    // U = 0.5: a 0.6 * 1/1, b 0.4 * 1/2 (X and Y unobserved integrate to 1).
    expect(m.score({ U: 0.5 }).pA).toBeCloseTo(0.6 / 0.8, 15);
    // U = 1.5 is outside a's support.
    expect(m.score({ U: 1.5 }).pA).toBe(0);
  });

  it('weighs states by triangular densities around the mode 3 * mean - lower - upper', () => {
    // T = 1: a (mode 0) 2 (3 - 1) / (3 * 3) = 4/9; b (mode 3) 2 (1 - 0) / (3 * 3) = 2/9.
    // a: 0.6 * 4/9 = 2.4/9, b: 0.4 * 2/9 = 0.8/9.
    expect(m.score({ T: 1 }).pA).toBeCloseTo(2.4 / 3.2, 15);
    // At the mode of b, T = 3: a 2 * 0 / 9 = 0, b 2 / 3.
    expect(m.score({ T: 3 }).pA).toBe(0);
  });

  it('weighs states by lognormal densities of ln x', () => {
    // L = e: a phi(1 - 0) / e, b phi(1 - 1) / e: 0.6 exp(-1/2) against 0.4.
    const a = 0.6 * Math.exp(-0.5);
    expect(m.score({ L: Math.E }).pA).toBeCloseTo(a / (a + 0.4), 14);
  });
});

/** C -> Z, C -> U with Z | a ~ Normal(10, 1), Z | b ~ Normal(20, 1); U as above; Z the target. */
const regression = `${HEAD}
<DataDictionary>
  <DataField name="Z" optype="continuous" dataType="double"/>
  <DataField name="U" optype="continuous" dataType="double"/>
  <DataField name="raw" optype="continuous" dataType="double"/>
</DataDictionary>
<BayesianNetworkModel functionName="regression">
  <MiningSchema><MiningField name="raw"/><MiningField name="U"/><MiningField name="Z" usageType="target"/></MiningSchema>
  <BayesianNetworkNodes>
    <DiscreteNode name="C">
      <DerivedField name="C" optype="categorical" dataType="string">
        <Discretize field="raw"><DiscretizeBin binValue="a"><Interval closure="openOpen" rightMargin="0"/></DiscretizeBin><DiscretizeBin binValue="b"><Interval closure="closedOpen" leftMargin="0"/></DiscretizeBin></Discretize>
      </DerivedField>
      ${vp('a', 0.6)}${vp('b', 0.4)}
    </DiscreteNode>
    <ContinuousNode name="Z">
      <ContinuousConditionalProbability>${pv('C', 'a')}${normal(num(10), num(1))}</ContinuousConditionalProbability>
      <ContinuousConditionalProbability>${pv('C', 'b')}${normal(num(20), num(1))}</ContinuousConditionalProbability>
    </ContinuousNode>
    <ContinuousNode name="U">
      <ContinuousConditionalProbability>${pv('C', 'a')}<ContinuousDistribution><UniformDistributionForBN><Lower>${num(0)}</Lower><Upper>${num(1)}</Upper></UniformDistributionForBN></ContinuousDistribution></ContinuousConditionalProbability>
      <ContinuousConditionalProbability>${pv('C', 'b')}<ContinuousDistribution><UniformDistributionForBN><Lower>${num(0)}</Lower><Upper>${num(2)}</Upper></UniformDistributionForBN></ContinuousDistribution></ContinuousConditionalProbability>
    </ContinuousNode>
  </BayesianNetworkNodes>
</BayesianNetworkModel></PMML>`;

describe('BayesianNetworkModel: a continuous target', () => {
  const m = loadPmml(regression);

  it('predicts the posterior mean', () => {
    // No evidence: 0.6 * 10 + 0.4 * 20 = 14.
    expect(m.score({}).Z).toBeCloseTo(14, 13);
    // U = 0.5: weights a 0.6, b 0.2: (6 + 4) / 0.8 = 12.5.
    expect(m.score({ U: 0.5 }).Z).toBeCloseTo(12.5, 13);
  });

  it('observes a node through its own DerivedField', () => {
    // raw = -1 makes C = a: Z's mean is 10; raw = 3 makes C = b: 20.
    expect(m.score({ raw: -1 }).Z).toBeCloseTo(10, 13);
    expect(m.score({ raw: 3, U: 0.5 }).Z).toBeCloseTo(20, 13);
    // C = a and U = 1.5 contradict each other: no prediction.
    expect(m.score({ raw: -1, U: 1.5 }).Z).toBeNull();
  });
});

function loadError(xml: string): TrajanError {
  try {
    loadPmml(xml);
  } catch (e) {
    return e as TrajanError;
  }
  throw new Error('the document loaded');
}

describe('BayesianNetworkModel: what is reported at load', () => {
  it('a network beyond the enumeration limit', () => {
    // 14 binary nodes, all observable: 2^14 = 16384 joint states > 10000.
    const names = Array.from({ length: 14 }, (_, i) => `n${i}`);
    const xml = `${HEAD}<DataDictionary>${names.map((n) => `<DataField name="${n}" optype="categorical" dataType="string"/>`).join('')}</DataDictionary>
<BayesianNetworkModel functionName="classification"><MiningSchema>${names.map((n, i) => `<MiningField name="${n}"${i === 0 ? ' usageType="target"' : ''}/>`).join('')}</MiningSchema>
<BayesianNetworkNodes>${names.map((n) => `<DiscreteNode name="${n}">${vp('0', 0.5)}${vp('1', 0.5)}</DiscreteNode>`).join('')}</BayesianNetworkNodes></BayesianNetworkModel></PMML>`;
    const e = loadError(xml);
    expect(e.code).toBe('pmml-unsupported');
    expect(e.message).toContain('16384');
    expect(e.location?.pointer).toBe('/PMML/BayesianNetworkModel');
    // 13 nodes (8192 states) load.
    expect(() =>
      loadPmml(xml.replace(/<DiscreteNode name="n13">.*?<\/DiscreteNode>/, '').replace('<MiningField name="n13"/>', '')),
    ).not.toThrow();
  });

  it('a mixture of distributions', () => {
    const xml = hybrid.replace('<ContinuousNode name="Y">', `<ContinuousNode name="Y">${normal(num(0), num(1))}`);
    const e = loadError(xml);
    expect(e.code).toBe('pmml-unsupported');
    expect(e.location?.pointer).toBe('/PMML/BayesianNetworkModel/BayesianNetworkNodes/ContinuousNode[2]');
  });

  it('a ParentValue naming a continuous node', () => {
    const xml = sprinkler
      .replace(
        '<DataField name="W" optype="categorical" dataType="string"/>',
        '<DataField name="W" optype="categorical" dataType="string"/><DataField name="K" optype="continuous" dataType="double"/>',
      )
      .replace(
        '<DiscreteNode name="R">',
        `<ContinuousNode name="K">${normal(num(0), num(1))}</ContinuousNode><DiscreteNode name="Q"><DiscreteConditionalProbability>${pv('K', '1')}${vp('x', 1)}</DiscreteConditionalProbability></DiscreteNode><DiscreteNode name="R">`,
      );
    const e = loadError(xml);
    expect(e.code).toBe('pmml-unsupported');
    expect(e.message).toContain('ParentValue of continuous node K');
  });

  it('a continuous node without a distribution for some parent values', () => {
    const xml = regression.replace(
      `<ContinuousConditionalProbability>${pv('C', 'b')}${normal(num(20), num(1))}</ContinuousConditionalProbability>`,
      '',
    );
    const e = loadError(xml);
    expect(e.code).toBe('pmml-invalid');
    expect(e.message).toContain('node Z has no distribution for parent values b');
  });

  it('a functionName that does not fit the target', () => {
    expect(loadError(regression.replace('functionName="regression"', 'functionName="classification"')).code).toBe('pmml-invalid');
    expect(loadError(sprinkler.replace('functionName="classification"', 'functionName="regression"')).code).toBe('pmml-invalid');
  });

  it('a table missing for some parent values', () => {
    const xml = sprinkler.replace(
      `<DiscreteConditionalProbability>${pv('S', 'off')}${pv('R', 'n')}${vp('dry', 1)}</DiscreteConditionalProbability>`,
      '',
    );
    const e = loadError(xml);
    expect(e.code).toBe('pmml-invalid');
    expect(e.message).toContain('off, n');
  });
});
