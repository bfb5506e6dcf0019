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

const header = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';

/** A one-target GaussianProcessModel over inputs `names`, with a kernel element and training rows. */
function gp(names: string[], kernel: string, rows: number[][], output = ''): string {
  const fields = [...names, 'y'].map((n) => `<DataField name="${n}" optype="continuous" dataType="double"/>`).join('');
  const mining = `${names.map((n) => `<MiningField name="${n}"/>`).join('')}<MiningField name="y" usageType="target"/>`;
  const instance = [...names, 'y'].map((n) => `<InstanceField field="${n}" column="${n}"/>`).join('');
  const table = rows.map((r) => `<row>${r.map((v, i) => `<${[...names, 'y'][i]}>${v}</${[...names, 'y'][i]}>`).join('')}</row>`).join('');
  return `${header}<DataDictionary>${fields}</DataDictionary>
<GaussianProcessModel functionName="regression">
  <MiningSchema>${mining}</MiningSchema>
  ${output}
  ${kernel}
  <TrainingInstances><InstanceFields>${instance}</InstanceFields><InlineTable>${table}</InlineTable></TrainingInstances>
</GaussianProcessModel></PMML>`;
}

const both = '<Output><OutputField name="mean" feature="predictedValue"/><OutputField name="sd" feature="standardDeviation"/></Output>';

describe('GaussianProcessModel', () => {
  it('RadialBasisKernel: mean k^T (K + s2 I)^-1 y and standard deviation over two instances', () => {
    const m = loadPmml(
      gp(
        ['a'],
        '<RadialBasisKernel gamma="1" lambda="1" noiseVariance="0.5"/>',
        [
          [0, 1],
          [1, 2],
        ],
        both,
      ),
    );
    // k(0, 1) = exp(-1/2 (1 / 1)^2) = e; K + 0.5 I = [[1.5, e], [e, 1.5]], det = 2.25 - e^2,
    // inverse = [[1.5, -e], [-e, 1.5]] / det, alpha = inverse [1, 2] = [1.5 - 2e, 3 - e] / det.
    const e = Math.exp(-0.5);
    const det = 2.25 - e * e;
    // At a = 0: k = [1, e]; mean = (1.5 - 2e + e (3 - e)) / det = (1.5 + e - e^2) / det;
    // variance = 1 - k^T inverse k = 1 - (1.5 - 2e^2 + 1.5e^2) / det = 1 - (1.5 - 0.5e^2) / det.
    const out = m.score({ a: 0 });
    expect(out.mean).toBeCloseTo((1.5 + e - e * e) / det, 14);
    expect(out.sd).toBeCloseTo(Math.sqrt(1 - (1.5 - 0.5 * e * e) / det), 14);
    expect(m.score({ a: 0 }).y).toBeCloseTo((1.5 + e - e * e) / det, 14);
  });

  it('ARDSquaredExponentialKernel: one length scale per input', () => {
    const kernel =
      '<ARDSquaredExponentialKernel gamma="2" noiseVariance="1"><Lambda><Array n="2" type="real">2 0.5</Array></Lambda></ARDSquaredExponentialKernel>';
    const m = loadPmml(gp(['a', 'b'], kernel, [[0, 0, 3]], both));
    // K + s2 I = 2 + 1 = 3, alpha = 3 / 3 = 1. At (2, 0.5): (2/2)^2 + (0.5/0.5)^2 = 2, k = 2 exp(-1).
    const out = m.score({ a: 2, b: 0.5 });
    expect(out.mean).toBeCloseTo(2 * Math.exp(-1), 15);
    // variance = 2 - k^2 / 3
    expect(out.sd).toBeCloseTo(Math.sqrt(2 - (4 * Math.exp(-2)) / 3), 15);
  });

  it('AbsoluteExponentialKernel and GeneralizedExponentialKernel: powers 1 and degree of |x - z| / lambda', () => {
    const absolute = loadPmml(
      gp(
        ['a'],
        '<AbsoluteExponentialKernel gamma="1" noiseVariance="1"><Lambda><Array n="1" type="real">2</Array></Lambda></AbsoluteExponentialKernel>',
        [[0, 4]],
      ),
    );
    // alpha = 4 / (1 + 1) = 2; at a = 3: k = exp(-1/2 * 3/2) = exp(-0.75)
    expect(absolute.score({ a: 3 }).y).toBeCloseTo(2 * Math.exp(-0.75), 15);
    const general = loadPmml(
      gp(
        ['a'],
        '<GeneralizedExponentialKernel gamma="1" noiseVariance="1" degree="3"><Lambda><Array n="1" type="real">1</Array></Lambda></GeneralizedExponentialKernel>',
        [[0, 2]],
      ),
    );
    // alpha = 2 / 2 = 1; at a = 2: k = exp(-1/2 * 2^3) = exp(-4)
    expect(general.score({ a: 2 }).y).toBeCloseTo(Math.exp(-4), 15);
  });

  it('a missing input predicts nothing', () => {
    const m = loadPmml(
      gp(
        ['a', 'b'],
        '<RadialBasisKernel/>',
        [
          [0, 0, 1],
          [1, 1, 2],
        ],
        both,
      ),
    );
    const out = m.score({ a: 1 });
    expect(out.mean).toBeNull();
    expect(out.sd).toBeNull();
  });

  it('trajan convert writes PFA that validates and scores alike', () => {
    const m = loadPmml(
      gp(
        ['a'],
        '<RadialBasisKernel gamma="1.5" lambda="0.7" noiseVariance="0.1"/>',
        [
          [0, 1],
          [1, 2],
          [2, 0.5],
        ],
        both,
      ),
    );
    const text = JSON.stringify(m.pfa);
    checkPfaSource(text);
    const pfa = loadPfa(text);
    for (const a of [-1, 0.3, 1.7, null]) {
      const input = m.pfaInput({ a });
      expect(pfa.action(input)).toEqual(m.engine.action(input));
    }
  });

  it('reports what it does not support, with the element', () => {
    const classification = gp(['a'], '<RadialBasisKernel/>', [[0, 1]]).replace(
      'functionName="regression"',
      'functionName="classification"',
    );
    expect(errorCode(() => loadPmml(classification))).toBe('pmml-unsupported');
    const locator = gp(['a'], '<RadialBasisKernel/>', [[0, 1]]).replace(/<InlineTable>.*<\/InlineTable>/, '<TableLocator/>');
    expect(errorCode(() => loadPmml(locator))).toBe('pmml-unsupported');
    const lambdas = gp(
      ['a', 'b'],
      '<ARDSquaredExponentialKernel><Lambda><Array n="1" type="real">1</Array></Lambda></ARDSquaredExponentialKernel>',
      [[0, 0, 1]],
    );
    expect(errorCode(() => loadPmml(lambdas))).toBe('pmml-invalid');
  });
});
