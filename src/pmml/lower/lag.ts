/**
 * PMML `Lag`: the value a field had n records back, or an aggregate (avg, max, median, min,
 * product, sum, stddev) of its values over the n records before this one; with BlockIndicator
 * fields, only records with the same values of those fields count (one history per block).
 *
 * Scoring is record at a time, so the history lives in a PFA pool keyed by the block: each record
 * that evaluates the Lag appends its value (`pool` ... `to`) and keeps the last n + 1. A model with a
 * Lag is therefore stateful and the order of records matters (docs/pmml.md, "State across
 * records"). With fewer than n earlier records in the block, `none` gives a missing value and the
 * aggregates use the earlier records there are; missing values are skipped by the aggregates, and
 * an aggregate of no values is missing. stddev is the population standard deviation.
 */
import type { XmlElement } from '../xml.js';
import { childrenNamed } from '../xml.js';
import { type LowerContext, type Scope, lit, type FieldInfo } from './context.js';
import type { Pfa } from './builder.js';
import type { Lowered } from './lowered.js';
import { convertValue } from './lowered.js';
import { presentValues } from './present.js';

const AGGREGATES = new Set(['none', 'avg', 'max', 'median', 'min', 'product', 'sum', 'stddev']);

/**
 * A string naming the group of the current record: the values of `fields` as text, a missing value
 * as nothing (a present value is prefixed with `=`, so the two never meet); one group without fields.
 */
export function groupKey(fields: readonly FieldInfo[], ctx: LowerContext): Pfa {
  if (fields.length === 0) return { string: '' };
  const parts = fields.map((f) => {
    const k = ctx.symbol('k');
    return {
      ifnotnull: { [k]: convertValue({ pfa: f.symbol, type: f.type }, 'string', ctx) },
      then: { 's.concat': [{ string: '=' }, k] },
      else: { string: '' },
    };
  });
  return { 's.join': [{ new: parts, type: { type: 'array', items: 'string' } }, { string: '\u001f' }] };
}

export function lowerLag(el: XmlElement, ctx: LowerContext, scope: Scope): Lowered {
  const f = ctx.field(el, scope, ctx.attr(el, 'field'));
  const n = ctx.number(el, 'n', 1);
  if (!Number.isInteger(n) || n < 1) ctx.fail(el, 'pmml-bad-attribute', `Lag n must be a positive integer, not ${el.attrs.n}`);
  const aggregate = el.attrs.aggregate ?? 'none';
  if (!AGGREGATES.has(aggregate)) ctx.fail(el, 'pmml-bad-attribute', `unknown Lag aggregate ${JSON.stringify(aggregate)}`);
  if (aggregate !== 'none' && f.type !== 'double')
    ctx.fail(el, 'pmml-invalid', `Lag aggregate ${aggregate} needs a numeric field, and ${f.name} is ${f.dataType}`);
  const blocks = childrenNamed(el, 'BlockIndicator').map((b) => ctx.field(b, scope, ctx.attr(b, 'field')));

  const item = ['null', f.type];
  const history = { type: 'array', items: item };
  const pool = ctx.symbol(`lag_${f.name}`);
  ctx.pools[pool] = { type: history, init: {} };
  const [old, added, h] = [ctx.symbol('old'), ctx.symbol('added'), ctx.symbol('history')];
  // The block's last n + 1 values, this record's last.
  const update = {
    pool,
    path: [groupKey(blocks, ctx)],
    to: {
      params: [{ [old]: history }],
      ret: history,
      do: [
        { let: { [added]: { 'a.append': [old, f.symbol] } } },
        { if: { '>': [{ 'a.len': [added] }, n + 1] }, then: { 'a.tail': [added] }, else: added },
      ],
    },
    init: { type: history, value: [] },
  };
  const earlier: Pfa = { 'a.subseq': [h, 0, { '-': [{ 'a.len': [h] }, 1] }] };
  const value =
    aggregate === 'none'
      ? { if: { '==': [{ 'a.len': [h] }, n + 1] }, then: { attr: h, path: [0] }, else: lit.missing(f.type) }
      : aggregated(aggregate, earlier, ctx);
  const pfa = { do: [{ let: { [h]: update } }, value] };
  return { type: f.type, ...(f.dataType !== f.type && aggregate === 'none' ? { dataType: f.dataType } : {}), pfa };
}

/** An aggregate of the present values among `values` (array<["null", double]>), missing when there are none. */
function aggregated(aggregate: string, values: Pfa, ctx: LowerContext): Pfa {
  const xs = ctx.symbol('xs');
  const some = (v: Pfa): Pfa => ({ upcast: v, as: ['null', 'double'] });
  let body: Pfa;
  switch (aggregate) {
    case 'avg':
      body = { 'a.mean': [xs] };
      break;
    case 'stddev': {
      const [mean, x] = [ctx.symbol('mean'), ctx.symbol('x')];
      const squares = { 'a.map': [xs, { params: [{ [x]: 'double' }], ret: 'double', do: { '**': [{ '-': [x, mean] }, 2] } }] };
      body = { do: [{ let: { [mean]: { 'a.mean': [xs] } } }, { 'm.sqrt': [{ 'a.mean': [squares] }] }] };
      break;
    }
    default:
      body = { [`a.${aggregate}`]: [xs] };
  }
  return {
    do: [
      { let: { [xs]: presentValues(values, ctx) } },
      { if: { '==': [{ 'a.len': [xs] }, 0] }, then: lit.missing('double'), else: some(body) },
    ],
  };
}
