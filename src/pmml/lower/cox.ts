/**
 * The baseline of a Cox regression (BaseCumHazardTables): per stratum, the baseline cumulative
 * hazard steps H0 and the largest time it covers. The cumulative hazard at end time t is
 * H0(t) * exp(r), with H0(t) the cumHazard of the last cell whose time is at most t: 0 before the
 * first cell, missing past maxTime or for a stratum the tables do not list.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, NULL_RESULT, parseNumber, result } from './context.js';
import { member, type Pfa } from './builder.js';
import type { UsedFields } from './general-regression.js';

const DOUBLES = { type: 'array', items: 'double' };
const STRATUM = {
  type: 'record',
  name: 'CoxBaselineStratum',
  fields: [
    { name: 'maxTime', type: 'double' },
    { name: 'time', type: DOUBLES },
    { name: 'cumHazard', type: DOUBLES },
  ],
};

interface Stratum {
  readonly value?: string;
  readonly maxTime: number;
  readonly time: number[];
  readonly cumHazard: number[];
}

function stratum(el: XmlElement, ctx: LowerContext): Stratum {
  const cells = childrenNamed(el, 'BaselineCell')
    .map((c) => ({ time: ctx.number(c, 'time'), cumHazard: ctx.number(c, 'cumHazard') }))
    .sort((a, b) => a.time - b.time);
  const last = cells.length ? cells[cells.length - 1]!.time : -Infinity;
  return {
    ...(el.attrs.value !== undefined ? { value: el.attrs.value } : {}),
    maxTime: ctx.number(el, 'maxTime', last),
    time: cells.map((c) => c.time),
    cumHazard: cells.map((c) => c.cumHazard),
  };
}

/** The Result of a Cox model, given `r` (a double expression: the record's predictor minus the reference's). */
export function coxHazard(model: XmlElement, ctx: LowerContext, used: UsedFields, r: Pfa): Pfa {
  const tables = child(model, 'BaseCumHazardTables') ?? ctx.fail(model, 'pmml-invalid', 'a CoxRegression model needs BaseCumHazardTables');
  const strataName = model.attrs.baselineStrataVariable;
  const strata = strataName !== undefined ? childrenNamed(tables, 'BaselineStratum').map((s) => stratum(s, ctx)) : [stratum(tables, ctx)];
  const end = used.use(
    model,
    model.attrs.endTimeVariable ?? ctx.fail(model, 'pmml-missing-attribute', 'a CoxRegression model needs an endTimeVariable'),
  );
  if (end.info.type !== 'double') ctx.fail(model, 'pmml-invalid', `end time ${end.info.name} is not numeric`);

  const cell = ctx.symbol('baseline');
  ctx.cells[cell] = {
    type: { type: 'array', items: ctx.namedType(STRATUM) },
    init: strata.map(({ maxTime, time, cumHazard }) => ({ maxTime, time, cumHazard })),
  };
  let index: Pfa = 0;
  if (strataName !== undefined) {
    const f = used.use(model, strataName);
    const values = strata.map((s) =>
      f.info.type === 'double'
        ? (parseNumber(s.value ?? '') ?? ctx.fail(model, 'pmml-bad-value', `stratum ${JSON.stringify(s.value)} is not a number`))
        : f.info.type === 'boolean'
          ? ctx.boolean(model, s.value ?? '')
          : (s.value ?? ''),
    );
    index = { 'a.index': [{ type: { type: 'array', items: f.info.type }, value: values }, f.v] };
  }
  const [i, st, k, t] = [ctx.symbol('i'), ctx.symbol('stratum'), ctx.symbol('k'), ctx.symbol('t')];
  const number = (x: Pfa): Pfa => result({ number: { upcast: x, as: ['null', 'double'] } });
  return {
    do: [
      { let: { [i]: index } },
      {
        if: { '<': [i, 0] },
        then: NULL_RESULT,
        else: {
          do: [
            { let: { [st]: { cell, path: [i] } } },
            {
              let: { [k]: { 'a.rindex': [member(st, 'time'), { params: [{ [t]: 'double' }], ret: 'boolean', do: { '<=': [t, end.v] } }] } },
            },
            {
              cond: [
                { if: { '<': [k, 0] }, then: number(0.0) },
                { if: { '>': [end.v, member(st, 'maxTime')] }, then: NULL_RESULT },
              ],
              else: number({ '*': [{ attr: member(st, 'cumHazard'), path: [k] }, { 'm.exp': [r] }] }),
            },
          ],
        },
      },
    ],
  };
}
