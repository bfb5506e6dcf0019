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

/** A TimeSeriesModel over the series `sales` whose horizon is the field h (unless `horizon` is false). */
function series(smoothing: string, { horizon = true, output = '', attrs = '' } = {}): string {
  const mining = `${horizon ? '<MiningField name="h"/>' : ''}<MiningField name="sales" usageType="target"/>`;
  return `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary><DataField name="h" optype="continuous" dataType="integer"/><DataField name="sales" optype="continuous" dataType="double"/></DataDictionary>
<TimeSeriesModel functionName="timeSeries" bestFit="ExponentialSmoothing">
  <MiningSchema>${mining}</MiningSchema>
  ${output}
  <TimeSeries usage="original"><TimeValue index="1" value="9"/><TimeValue index="2" value="11"/></TimeSeries>
  <ExponentialSmoothing ${attrs}>${smoothing}</ExponentialSmoothing>
</TimeSeriesModel></PMML>`;
}

const forecasts = (pmml: string, hs: number[]) => {
  const m = loadPmml(pmml);
  return hs.map((h) => m.score({ h }).sales as number);
};

describe('TimeSeriesModel: ExponentialSmoothing', () => {
  it('a level alone forecasts the level at every horizon; a bad horizon predicts nothing', () => {
    const m = loadPmml(series('<Level alpha="0.3" smoothedValue="10"/>'));
    expect(m.score({ h: 1 }).sales).toBe(10);
    expect(m.score({ h: 5 }).sales).toBe(10);
    for (const h of [0, -2, 1.5]) expect(m.score({ h }).sales).toBeNull();
    expect(m.score({}).sales).toBeNull();
  });

  it('trends: additive, damped additive, multiplicative, damped multiplicative', () => {
    const level = '<Level alpha="0.3" smoothedValue="10"/>';
    // 10 + 3 * 2 = 16
    expect(forecasts(series(`${level}<Trend_ExpoSmooth trend="additive" gamma="0.1" smoothedValue="2"/>`), [3])).toEqual([16]);
    // 10 + (0.5 + 0.25) * 2 = 11.5; at h = 1: 10 + 0.5 * 2 = 11
    expect(
      forecasts(series(`${level}<Trend_ExpoSmooth trend="damped_additive" gamma="0.1" phi="0.5" smoothedValue="2"/>`), [1, 2]),
    ).toEqual([11, 11.5]);
    // 10 * 1.1^2 = 12.1
    expect(forecasts(series(`${level}<Trend_ExpoSmooth trend="multiplicative" smoothedValue="1.1"/>`), [2])[0]).toBeCloseTo(12.1, 13);
    // 10 * 2^(0.5 + 0.25)
    expect(forecasts(series(`${level}<Trend_ExpoSmooth trend="damped_multiplicative" phi="0.5" smoothedValue="2"/>`), [2])[0]).toBeCloseTo(
      10 * 2 ** 0.75,
      13,
    );
  });

  it('seasonality: the index of the forecast period, additive or multiplicative', () => {
    const additive = series(
      '<Level smoothedValue="10"/><Trend_ExpoSmooth trend="additive" smoothedValue="1"/><Seasonality_ExpoSmooth type="additive" period="4"><Array n="4" type="real">1 2 3 4</Array></Seasonality_ExpoSmooth>',
    );
    // h = 1: 10 + 1 + 1; h = 4: 10 + 4 + 4; h = 5 wraps to the first index: 10 + 5 + 1
    expect(forecasts(additive, [1, 4, 5])).toEqual([12, 18, 16]);
    const multiplicative = series(
      '<Level smoothedValue="10"/><Seasonality_ExpoSmooth type="multiplicative" period="4"><Array n="4" type="real">0.5 1 1.5 1</Array></Seasonality_ExpoSmooth>',
    );
    // h = 3 and h = 7: 10 * 1.5; h = 1: 10 * 0.5
    expect(forecasts(multiplicative, [3, 7, 1])).toEqual([15, 15, 5]);
  });

  it('a transformed series is forecast on its own scale and transformed back', () => {
    expect(forecasts(series(`<Level smoothedValue="${Math.log(100)}"/>`, { attrs: 'transformation="logarithmic"' }), [1])[0]).toBeCloseTo(
      100,
      12,
    );
    expect(
      forecasts(series('<Level smoothedValue="3"/><Trend_ExpoSmooth smoothedValue="1"/>', { attrs: 'transformation="squareroot"' }), [2]),
    ).toEqual([25]);
  });

  it('without a horizon field the forecast is one step ahead; an OutputField value names a fixed horizon', () => {
    const output =
      '<Output><OutputField name="next" feature="predictedValue" dataType="double"/><OutputField name="in3" feature="predictedValue" dataType="double" value="3"/></Output>';
    const m = loadPmml(series('<Level smoothedValue="10"/><Trend_ExpoSmooth smoothedValue="2"/>', { horizon: false, output }));
    // h = 1: 12; h = 3: 16
    expect(m.score({})).toMatchObject({ sales: 12, next: 12, in3: 16 });
  });

  it('trajan convert writes PFA that validates and forecasts alike', () => {
    const m = loadPmml(
      series(
        '<Level smoothedValue="10"/><Trend_ExpoSmooth trend="damped_additive" phi="0.8" smoothedValue="2"/><Seasonality_ExpoSmooth type="multiplicative" period="3"><Array n="3" type="real">0.9 1 1.1</Array></Seasonality_ExpoSmooth>',
      ),
    );
    const text = JSON.stringify(m.pfa);
    checkPfaSource(text);
    const pfa = loadPfa(text);
    for (const h of [1, 2, 3, 4, 10, 0, null]) {
      const input = m.pfaInput({ h });
      expect(pfa.action(input)).toEqual(m.engine.action(input));
    }
  });

  it('reports what it does not support, with the element', () => {
    const level = '<Level smoothedValue="10"/>';
    expect(errorCode(() => loadPmml(series(level).replace('bestFit="ExponentialSmoothing"', 'bestFit="ARIMA"')))).toBe('pmml-unsupported');
    expect(errorCode(() => loadPmml(series(`${level}<Trend_ExpoSmooth trend="polynomial_exponential" smoothedValue="1"/>`)))).toBe(
      'pmml-unsupported',
    );
    expect(
      errorCode(() =>
        loadPmml(
          series(
            `${level}<Seasonality_ExpoSmooth type="additive" period="2" phase="1"><Array n="2" type="real">1 2</Array></Seasonality_ExpoSmooth>`,
          ),
        ),
      ),
    ).toBe('pmml-unsupported');
    expect(errorCode(() => loadPmml(series('<Level alpha="0.5"/>')))).toBe('pmml-unsupported');
    expect(
      errorCode(() =>
        loadPmml(
          series(
            `${level}<Seasonality_ExpoSmooth type="additive" period="3"><Array n="2" type="real">1 2</Array></Seasonality_ExpoSmooth>`,
          ),
        ),
      ),
    ).toBe('pmml-invalid');
  });
});
