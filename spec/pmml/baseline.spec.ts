import { describe, expect, it } from 'vitest';
import { checkPfaSource, loadPfa, loadPmml, TrajanError } from '../../src/index.js';

function errorCode(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof TrajanError) return String(e.code);
    throw e;
  }
  return 'no error';
}

/** A BaselineModel over the field x whose TestDistributions holds `tests`. */
const baseline = (tests: string, attrs: string) => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary><DataField name="x" optype="continuous" dataType="double"/><DataField name="score" optype="continuous" dataType="double"/></DataDictionary>
<BaselineModel functionName="regression">
  <MiningSchema><MiningField name="x"/><MiningField name="score" usageType="target"/></MiningSchema>
  <Output><OutputField name="statistic" feature="predictedValue"/></Output>
  <TestDistributions field="x" ${attrs}>${tests}</TestDistributions>
</BaselineModel></PMML>`;

const gaussians =
  '<Baseline><GaussianDistribution mean="0" variance="1"/></Baseline><Alternate><GaussianDistribution mean="1" variance="1"/></Alternate>';

describe('BaselineModel', () => {
  it('zValue: (x - mean) / sqrt(variance) of the baseline distribution', () => {
    const gaussian = loadPmml(
      baseline('<Baseline><GaussianDistribution mean="550.2" variance="48.2"/></Baseline>', 'testStatistic="zValue"'),
    );
    expect(gaussian.score({ x: 560 }).statistic).toBeCloseTo((560 - 550.2) / Math.sqrt(48.2), 14);
    expect(gaussian.score({}).statistic).toBeNull();
    // Poisson: variance = mean = 4, so (6 - 4) / 2 = 1
    expect(
      loadPmml(baseline('<Baseline><PoissonDistribution mean="4"/></Baseline>', 'testStatistic="zValue"')).score({ x: 6 }).statistic,
    ).toBe(1);
    // Uniform on [0, 12]: mean 6, variance 12^2 / 12 = 12
    expect(
      loadPmml(baseline('<Baseline><UniformDistribution lower="0" upper="12"/></Baseline>', 'testStatistic="zValue"')).score({ x: 9 })
        .statistic,
    ).toBeCloseTo(3 / Math.sqrt(12), 15);
    expect(
      loadPmml(baseline('<Baseline><AnyDistribution mean="10" variance="4"/></Baseline>', 'testStatistic="zValue"')).score({ x: 7 })
        .statistic,
    ).toBe(-1.5);
  });

  it('CUSUM accumulates max(resetValue, Z + g(x)) over successive records', () => {
    const m = loadPmml(baseline(gaussians, 'testStatistic="CUSUM" resetValue="0"'));
    // g(x) = ln N(x; 1, 1) - ln N(x; 0, 1) = (x^2 - (x - 1)^2) / 2 = x - 1/2
    // x = 2: max(0, 0 + 1.5) = 1.5; x = 0: max(0, 1.5 - 0.5) = 1; x = -3: max(0, 1 - 3.5) = 0; x = 1.5: 1
    const scores = [2, 0, -3, 1.5].map((x) => m.score({ x }).statistic as number);
    for (const [i, want] of [1.5, 1, 0, 1].entries()) expect(scores[i]).toBeCloseTo(want, 14);
  });

  it('CUSUM: a missing value scores nothing and leaves the sum as it was', () => {
    const m = loadPmml(baseline(gaussians, 'testStatistic="CUSUM"'));
    expect(m.score({ x: 2 }).statistic).toBeCloseTo(1.5, 14);
    expect(m.score({}).statistic).toBeNull();
    // 1.5 + (0 - 0.5)
    expect(m.score({ x: 0 }).statistic).toBeCloseTo(1, 14);
  });

  it('CUSUM with resetValue and Poisson densities', () => {
    const m = loadPmml(
      baseline(
        '<Baseline><PoissonDistribution mean="2"/></Baseline><Alternate><PoissonDistribution mean="4"/></Alternate>',
        'testStatistic="CUSUM" resetValue="-1"',
      ),
    );
    // g(x) = x ln(4/2) - (4 - 2) = x ln 2 - 2: x = 0 gives max(-1, 0 - 2) = -1; x = 3 gives -1 + 3 ln 2 - 2
    expect(m.score({ x: 0 }).statistic).toBe(-1);
    expect(m.score({ x: 3 }).statistic).toBeCloseTo(-3 + 3 * Math.LN2, 14);
    // a non-integer count has baseline and alternate density 0: ln 0 - ln 0 is not a number
    expect(m.score({ x: 1.5 }).statistic).toBeNaN();
  });

  it('CUSUM over a window of the last windowSize records', () => {
    const m = loadPmml(baseline(gaussians, 'testStatistic="CUSUM" windowSize="2"'));
    // g = 1.5, 1.5, -0.5: window [1.5] -> 1.5; [1.5, 1.5] -> 3; [1.5, -0.5] -> max(0, 1.5 - 0.5) = 1
    const scores = [2, 2, 0].map((x) => m.score({ x }).statistic as number);
    for (const [i, want] of [1.5, 3, 1].entries()) expect(scores[i]).toBeCloseTo(want, 14);
  });

  it('trajan convert writes PFA that validates and keeps the CUSUM state alike', () => {
    const m = loadPmml(baseline(gaussians, 'testStatistic="CUSUM" windowSize="3"'));
    const text = JSON.stringify(m.pfa);
    checkPfaSource(text);
    const pfa = loadPfa(text);
    for (const x of [2, -1, null, 0.5, 3, 1]) {
      const input = m.pfaInput({ x });
      expect(pfa.action(input)).toEqual(m.engine.action(input));
    }
  });

  it('reports what it does not support, with the element', () => {
    for (const statistic of ['chiSquareIndependence', 'chiSquareDistribution', 'scalarProduct']) {
      expect(
        errorCode(() =>
          loadPmml(
            baseline(
              '<Baseline><CountTable><FieldValueCount field="x" value="1" count="2"/></CountTable></Baseline>',
              `testStatistic="${statistic}"`,
            ),
          ),
        ),
      ).toBe('pmml-unsupported');
    }
    expect(
      errorCode(() =>
        loadPmml(
          baseline(
            '<Baseline><AnyDistribution mean="0" variance="1"/></Baseline><Alternate><GaussianDistribution mean="1" variance="1"/></Alternate>',
            'testStatistic="CUSUM"',
          ),
        ),
      ),
    ).toBe('pmml-unsupported');
    expect(errorCode(() => loadPmml(baseline(gaussians, 'testStatistic="CUSUM"').replace(/<Alternate>.*<\/Alternate>/, '')))).toBe(
      'pmml-invalid',
    );
  });
});
