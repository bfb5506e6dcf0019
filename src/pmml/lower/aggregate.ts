/**
 * PMML `Aggregate` (count, sum, average, min, max of a field over a group of records).
 *
 * - Transactional input (the field is a transactional model's item list, an array per record; see
 *   docs/pmml.md, "Transactional input"): the group is the record, so the aggregate is over the
 *   record's items. `groupField` names the MiningSchema's group field and changes nothing.
 * - Otherwise records arrive one at a time, so the aggregate is a running one over the records
 *   seen so far in the current record's group (the value of `groupField`; all records without
 *   one), this record included. Its count, sum, minimum and maximum are kept in a PFA pool keyed
 *   by the group, which makes the model stateful (docs/pmml.md, "State across records").
 *
 * Missing values are not counted. count and sum of no values are 0; average, min and max of no
 * values are missing. `multiset` (a collection as a field value) and `sqlWhere` are reported as
 * unsupported at load.
 */
import type { XmlElement } from '../xml.js';
import { type LowerContext, type Scope, lit } from './context.js';
import type { Pfa } from './builder.js';
import type { Lowered } from './lowered.js';
import type { DataField } from './fields.js';
import { groupKey } from './lag.js';

const FUNCTIONS = new Set(['count', 'sum', 'average', 'min', 'max']);

export function lowerAggregate(el: XmlElement, ctx: LowerContext, scope: Scope): Lowered {
  const f = ctx.field(el, scope, ctx.attr(el, 'field'));
  const fn = ctx.attr(el, 'function');
  if (fn === 'multiset') return ctx.unsupported(el, 'Aggregate function multiset');
  if (!FUNCTIONS.has(fn)) ctx.fail(el, 'pmml-bad-attribute', `unknown Aggregate function ${JSON.stringify(fn)}`);
  if (el.attrs.sqlWhere !== undefined) return ctx.unsupported(el, 'Aggregate sqlWhere');
  if (fn !== 'count' && f.type !== 'double')
    ctx.fail(el, 'pmml-invalid', `Aggregate ${fn} needs a numeric field, and ${f.name} is ${f.dataType}`);
  const some = (v: Pfa): Pfa => ({ upcast: v, as: ['null', 'double'] });

  if ((f as Partial<DataField>).multiple === true) {
    const items = ctx.symbol('items');
    const empty = { '==': [{ 'a.len': [items] }, 0] };
    const body: Record<string, Pfa> = {
      count: some({ 'cast.double': [{ 'a.len': [items] }] }),
      sum: some({ 'a.sum': [items] }),
      average: { if: empty, then: lit.missing('double'), else: some({ 'a.mean': [items] }) },
      min: { if: empty, then: lit.missing('double'), else: some({ 'a.min': [items] }) },
      max: { if: empty, then: lit.missing('double'), else: some({ 'a.max': [items] }) },
    };
    return { type: 'double', pfa: { ifnotnull: { [items]: f.symbol }, then: body[fn], else: lit.missing('double') } };
  }

  const group = el.attrs.groupField !== undefined ? [ctx.field(el, scope, el.attrs.groupField)] : [];
  const state = { type: 'array', items: 'double' };
  const pool = ctx.symbol(`aggregate_${f.name}`);
  ctx.pools[pool] = { type: state, init: {} };
  const [old, x] = [ctx.symbol('old'), ctx.symbol('x')];
  const at = (i: number): Pfa => ({ attr: old, path: [i] });
  // [count, sum, min, max] of the group's present values.
  const added: Pfa =
    f.type === 'double'
      ? { new: [{ '+': [at(0), 1] }, { '+': [at(1), x] }, { min: [at(2), x] }, { max: [at(3), x] }], type: state }
      : { new: [{ '+': [at(0), 1] }, at(1), at(2), at(3)], type: state };
  const update = {
    pool,
    path: [groupKey(group, ctx)],
    to: { params: [{ [old]: state }], ret: state, do: { ifnotnull: { [x]: f.symbol }, then: added, else: old } },
    init: { new: [0.0, 0.0, lit.double(Infinity), lit.double(-Infinity)], type: state },
  };
  const s = ctx.symbol('running');
  const read = (i: number): Pfa => ({ attr: s, path: [i] });
  const none = { '==': [read(0), 0.0] };
  const value: Record<string, Pfa> = {
    count: some(read(0)),
    sum: some(read(1)),
    average: { if: none, then: lit.missing('double'), else: some({ '/': [read(1), read(0)] }) },
    min: { if: none, then: lit.missing('double'), else: some(read(2)) },
    max: { if: none, then: lit.missing('double'), else: some(read(3)) },
  };
  return { type: 'double', pfa: { do: [{ let: { [s]: update } }, value[fn]] } };
}
