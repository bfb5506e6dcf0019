/**
 * TimeSeriesModel with ExponentialSmoothing: the forecast h steps after the last observation, from
 * the smoothed level L, trend T and seasonal indices S the model holds (Gardner's forms, as the
 * PMML specification gives them):
 *
 *   trend                  trend part of the forecast at horizon h
 *   (none)                 L
 *   additive               L + h T
 *   damped_additive        L + (phi + phi^2 + ... + phi^h) T
 *   multiplicative         L T^h
 *   damped_multiplicative  L T^(phi + phi^2 + ... + phi^h)
 *
 * then plus (additive) or times (multiplicative seasonality) the seasonal index of the forecast
 * period: the Array holds the last `period` indices in time order, the last observation's last, so
 * horizon h takes index (h - 1) mod period. A logarithmic or squareroot `transformation` smoothed
 * the transformed series: the forecast is transformed back (exp, square).
 *
 * What a record means: one forecast. Its horizon h is the value of the model's active MiningField
 * (a positive integer; anything else predicts nothing), or 1 when the model has no active field.
 * An OutputField with feature predictedValue and a `value` forecasts that fixed horizon instead.
 * The model's series (its target) is the forecast of the record's horizon.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, type Scope, lit, parseNumber, result } from './context.js';
import type { Pfa } from './builder.js';
import { numberArray } from './arrays.js';
import { targetOf, type FamilyLowering } from './family.js';

interface Smoothing {
  readonly level: number;
  readonly trend?: { readonly kind: string; readonly value: number; readonly phi: number };
  readonly season?: { readonly kind: string; readonly indices: readonly number[] };
  readonly transformation: string;
}

function smoothing(es: XmlElement, ctx: LowerContext): Smoothing {
  const levelEl = child(es, 'Level') ?? ctx.fail(es, 'pmml-invalid', 'ExponentialSmoothing needs a Level');
  // Without the smoothed values the series would have to be smoothed again from its TimeSeries.
  if (levelEl.attrs.smoothedValue === undefined) ctx.unsupported(levelEl, 'a Level without smoothedValue');
  const level = ctx.number(levelEl, 'smoothedValue');
  const trendEl = child(es, 'Trend_ExpoSmooth');
  let trend: Smoothing['trend'];
  if (trendEl) {
    const kind = trendEl.attrs.trend ?? 'additive';
    if (!['additive', 'damped_additive', 'multiplicative', 'damped_multiplicative'].includes(kind))
      ctx.unsupported(trendEl, `trend ${kind}`);
    if (trendEl.attrs.smoothedValue === undefined) ctx.unsupported(trendEl, 'a Trend_ExpoSmooth without smoothedValue');
    const damped = kind.startsWith('damped');
    trend = { kind, value: ctx.number(trendEl, 'smoothedValue'), phi: damped ? ctx.number(trendEl, 'phi', 1) : 1 };
  }
  const seasonEl = child(es, 'Seasonality_ExpoSmooth');
  let season: Smoothing['season'];
  if (seasonEl) {
    const kind = ctx.attr(seasonEl, 'type');
    if (kind !== 'additive' && kind !== 'multiplicative') ctx.fail(seasonEl, 'pmml-bad-attribute', `Seasonality_ExpoSmooth type ${kind}`);
    // Which season the first index belongs to would then depend on the phase.
    if (seasonEl.attrs.phase !== undefined) ctx.unsupported(seasonEl, 'Seasonality_ExpoSmooth phase');
    const period = ctx.number(seasonEl, 'period');
    const array =
      seasonEl.children.find((c) => c.name !== 'Extension') ??
      ctx.fail(seasonEl, 'pmml-invalid', 'Seasonality_ExpoSmooth needs an Array of indices');
    const indices = numberArray(array, ctx);
    if (!Number.isInteger(period) || period < 1 || indices.length !== period)
      ctx.fail(seasonEl, 'pmml-invalid', `Seasonality_ExpoSmooth period ${period} with ${indices.length} indices`);
    season = { kind, indices };
  }
  const transformation = es.attrs.transformation ?? 'none';
  if (!['none', 'logarithmic', 'squareroot'].includes(transformation))
    ctx.fail(es, 'pmml-bad-attribute', `ExponentialSmoothing transformation ${transformation}`);
  return { level, ...(trend ? { trend } : {}), ...(season ? { season } : {}), transformation };
}

/** The forecast at horizon `h` (a PFA int expression, at least 1), as a double expression. */
function forecast(s: Smoothing, h: Pfa): Pfa {
  const t = s.trend;
  const hd = { 'cast.double': [h] };
  // phi + phi^2 + ... + phi^h = phi (1 - phi^h) / (1 - phi), or h when phi = 1
  const dampedSum = (phi: number): Pfa => (phi === 1 ? hd : { '/': [{ '*': [phi, { '-': [1, { '**': [phi, hd] }] }] }, 1 - phi] });
  let value: Pfa = s.level;
  if (t?.kind === 'additive') value = { '+': [s.level, { '*': [hd, t.value] }] };
  else if (t?.kind === 'damped_additive') value = { '+': [s.level, { '*': [dampedSum(t.phi), t.value] }] };
  else if (t?.kind === 'multiplicative') value = { '*': [s.level, { '**': [t.value, hd] }] };
  else if (t?.kind === 'damped_multiplicative') value = { '*': [s.level, { '**': [t.value, dampedSum(t.phi)] }] };
  if (s.season) {
    const index = {
      attr: { type: { type: 'array', items: 'double' }, value: s.season.indices },
      path: [{ '%': [{ '-': [h, 1] }, s.season.indices.length] }],
    };
    value = { [s.season.kind === 'additive' ? '+' : '*']: [value, index] };
  }
  if (s.transformation === 'logarithmic') value = { 'm.exp': [value] };
  else if (s.transformation === 'squareroot') value = { '*': [value, value] };
  return value;
}

/** The horizon: the active field's value as an int when it is a positive integer, else null. */
function horizonOf(model: XmlElement, ctx: LowerContext, scope: Scope): Pfa {
  const schema = child(model, 'MiningSchema');
  const active = (schema ? childrenNamed(schema, 'MiningField') : []).filter((m) => (m.attrs.usageType ?? 'active') === 'active');
  if (active.length === 0) return { upcast: 1, as: ['null', 'int'] };
  if (active.length > 1)
    ctx.unsupported(active[1]!, 'a TimeSeriesModel with more than one active field (its one active field is the horizon)');
  const field = ctx.field(active[0]!, scope, ctx.attr(active[0]!, 'name'));
  if (field.type !== 'double') ctx.fail(active[0]!, 'pmml-invalid', `the horizon field ${field.name} must be numeric`);
  const v = ctx.symbol('h');
  return {
    ifnotnull: { [v]: field.symbol },
    then: {
      if: { '&&': [{ '>=': [v, 1] }, { '&&': [{ '==': [{ 'm.floor': [v] }, v] }, { '<=': [v, 2147483647] }] }] },
      then: { upcast: { 'cast.int': [v] }, as: ['null', 'int'] },
      else: { type: ['null', 'int'], value: null },
    },
    else: { type: ['null', 'int'], value: null },
  };
}

export const lowerTimeSeries: FamilyLowering = (model, ctx, scope) => {
  const best = ctx.attr(model, 'bestFit');
  if (best !== 'ExponentialSmoothing') ctx.unsupported(child(model, best) ?? model, `TimeSeriesModel bestFit ${best}`);
  const s = smoothing(
    child(model, 'ExponentialSmoothing') ??
      ctx.fail(model, 'pmml-invalid', 'bestFit ExponentialSmoothing needs an ExponentialSmoothing element'),
    ctx,
  );
  const [h, n, out] = [ctx.symbol('horizon'), ctx.symbol('n'), ctx.symbol('forecast')];
  const some = (v: Pfa): Pfa => ({ upcast: v, as: ['null', 'double'] });
  const statements: Pfa[] = [
    { let: { [h]: horizonOf(model, ctx, scope) } },
    { let: { [out]: { ifnotnull: { [n]: h }, then: some(forecast(s, n)), else: lit.missing('double') } } },
    result({ number: out }),
  ];
  const target = targetOf(model, ctx, scope);
  ctx.familyOutputs.set(model, {
    ...(target ? { targets: new Map([[target.name, { value: out, type: 'double' as const }]]) } : {}),
    feature: (of) => {
      if ((of.attrs.feature ?? 'predictedValue') !== 'predictedValue') return undefined;
      if (of.attrs.value === undefined) return { value: out, type: 'double' };
      const fixed = parseNumber(of.attrs.value);
      if (fixed === undefined || !Number.isInteger(fixed) || fixed < 1)
        ctx.fail(of, 'pmml-bad-attribute', `a forecast horizon must be a positive integer, not ${JSON.stringify(of.attrs.value)}`);
      return { value: some(forecast(s, { int: fixed! })), type: 'double' };
    },
  });
  return { statements, outputs: [] };
};
