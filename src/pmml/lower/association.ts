/**
 * AssociationModel: the rules whose antecedent itemset is contained in the input's items fire. The
 * rules live in a cell (itemsets resolved to item values, the texts of the rule features written
 * out); the model binds the fired rules, and each `ruleValue` OutputField selects among them by its
 * algorithm, orders them by its rankBasis and rankOrder (ties keep document order) and reads one
 * feature of the rule at its rank, missing when fewer rules qualify.
 *
 * Algorithms, with A the antecedent, C the consequent and I the input items: `recommendation`
 * A ⊆ I; `exclusiveRecommendation` (the default) A ⊆ I and not C ⊆ I; `ruleAssociation` A ⊆ I and
 * C ⊆ I. The items are the values of the model's one active field: a list per transaction when the
 * MiningSchema has a group field (the input field is an array), else the single value.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, lit, parseNumber, result, type FamilyValue, type ValueType } from './context.js';
import { local, member, type Pfa, type Ref } from './builder.js';
import type { FamilyLowering } from './family.js';

const RULE_FEATURES: Record<string, ValueType> = {
  antecedent: 'string',
  consequent: 'string',
  rule: 'string',
  ruleId: 'string',
  support: 'double',
  confidence: 'double',
  lift: 'double',
  leverage: 'double',
  affinity: 'double',
};
const OPTIONAL_MEASURES = ['lift', 'leverage', 'affinity'];

function ruleType(items: ValueType): { name: string } {
  const itemset = { type: 'array', items };
  const optional = ['null', 'double'];
  return {
    type: 'record',
    name: `AssociationRule_${items}`,
    fields: [
      { name: 'ruleId', type: 'string' },
      { name: 'antecedentItems', type: itemset },
      { name: 'consequentItems', type: itemset },
      { name: 'antecedent', type: 'string' },
      { name: 'consequent', type: 'string' },
      { name: 'rule', type: 'string' },
      { name: 'support', type: 'double' },
      { name: 'confidence', type: 'double' },
      ...OPTIONAL_MEASURES.map((name) => ({ name, type: optional })),
    ],
  } as { name: string };
}

export const lowerAssociation: FamilyLowering = (model, ctx, scope, env) => {
  const schema = child(model, 'MiningSchema');
  const active = (schema ? childrenNamed(schema, 'MiningField') : []).filter((m) => (m.attrs.usageType ?? 'active') === 'active');
  if (active.length !== 1)
    ctx.unsupported(model, `an AssociationModel with ${active.length} active fields (only one item field is supported)`);
  const itemName = ctx.attr(active[0]!, 'name');
  const field = ctx.field(active[0]!, scope, itemName);
  const multiple = env.dictionary.get(itemName)?.multiple === true;

  const values = new Map<string, string>();
  for (const item of childrenNamed(model, 'Item')) {
    if (item.attrs.field !== undefined || item.attrs.category !== undefined) ctx.unsupported(item, 'an Item with a field or category');
    values.set(ctx.attr(item, 'id'), ctx.attr(item, 'value'));
  }
  const itemsets = new Map<string, string[]>();
  for (const set of childrenNamed(model, 'Itemset')) {
    const refs = childrenNamed(set, 'ItemRef').map(
      (r) => values.get(ctx.attr(r, 'itemRef')) ?? ctx.fail(r, 'pmml-invalid', `no Item with id ${JSON.stringify(r.attrs.itemRef)}`),
    );
    itemsets.set(ctx.attr(set, 'id'), refs);
  }
  const typed = (v: string): unknown =>
    field.type === 'double'
      ? (parseNumber(v) ?? ctx.fail(model, 'pmml-bad-value', `item ${JSON.stringify(v)} is not a number`))
      : field.type === 'boolean'
        ? ctx.boolean(model, v)
        : v;
  const rules = childrenNamed(model, 'AssociationRule').map((r, i) => {
    const itemset = (attr: string) =>
      itemsets.get(ctx.attr(r, attr)) ?? ctx.fail(r, 'pmml-invalid', `no Itemset with id ${JSON.stringify(r.attrs[attr])}`);
    const [antecedent, consequent] = [itemset('antecedent'), itemset('consequent')];
    const optional = (name: string) => (r.attrs[name] === undefined ? null : { double: ctx.number(r, name) });
    return {
      ruleId: r.attrs.id ?? String(i + 1),
      antecedentItems: antecedent.map(typed),
      consequentItems: consequent.map(typed),
      antecedent: antecedent.join(','),
      consequent: consequent.join(','),
      rule: `{${antecedent.join(',')}}->{${consequent.join(',')}}`,
      support: ctx.number(r, 'support'),
      confidence: ctx.number(r, 'confidence'),
      ...Object.fromEntries(OPTIONAL_MEASURES.map((m) => [m, optional(m)])),
    };
  });
  const type = ruleType(field.type);
  const cell = ctx.symbol('rules');
  ctx.cells[cell] = { type: { type: 'array', items: ctx.namedType(type) }, init: rules };

  const [items, fired, v] = [ctx.symbol('items'), ctx.symbol('fired'), ctx.symbol('v')];
  const itemArray = { type: 'array', items: field.type };
  const present = multiple ? v : { new: [v], type: itemArray };
  const params = [{ r: type.name }];
  ctx.familyOutputs.set(model, { feature: (of) => ruleValue(of, ctx, { fired, items, rule: type.name }) });
  return {
    statements: [
      { let: { [items]: { ifnotnull: { [v]: field.symbol }, then: present, else: { type: itemArray, value: [] } } } },
      {
        let: {
          [fired]: {
            'a.filter': [{ cell }, { params, ret: 'boolean', do: { 'a.subset': [member(local('r'), 'antecedentItems'), items] } }],
          },
        },
      },
      result({}),
    ],
    outputs: [],
  };
};

/** One `ruleValue` OutputField: the feature of the rule at `rank` among the selected, ordered rules. */
function ruleValue(of: XmlElement, ctx: LowerContext, syms: { fired: Ref; items: Ref; rule: string }): FamilyValue | undefined {
  if ((of.attrs.feature ?? 'predictedValue') !== 'ruleValue') return undefined;
  const feature = of.attrs.ruleFeature ?? 'consequent';
  const type = RULE_FEATURES[feature] ?? ctx.unsupported(of, `ruleFeature ${feature}`);
  if ((of.attrs.isMultiValued ?? '0') !== '0') ctx.unsupported(of, 'a multi-valued ruleValue');
  const algorithm = of.attrs.algorithm ?? 'exclusiveRecommendation';
  const basis = of.attrs.rankBasis ?? 'confidence';
  if (RULE_FEATURES[basis] !== 'double') ctx.unsupported(of, `rankBasis ${basis}`);
  const descending = (of.attrs.rankOrder ?? 'descending') === 'descending';
  const rank = ctx.number(of, 'rank', 1);
  if (!Number.isInteger(rank) || rank < 1) ctx.fail(of, 'pmml-bad-attribute', `rank must be a positive integer, not ${of.attrs.rank}`);

  const consequentIn = { 'a.subset': [member(local('r'), 'consequentItems'), syms.items] };
  const keep =
    algorithm === 'recommendation'
      ? undefined
      : algorithm === 'exclusiveRecommendation'
        ? { '!': [consequentIn] }
        : algorithm === 'ruleAssociation'
          ? consequentIn
          : ctx.unsupported(of, `algorithm ${algorithm}`);
  const params = [{ r: syms.rule }];
  const selected = keep ? { 'a.filter': [syms.fired, { params, ret: 'boolean', do: keep }] } : syms.fired;
  // A rule without the optional measure ranks last either way.
  const key = (r: Ref): Pfa => {
    if (!OPTIONAL_MEASURES.includes(basis)) return member(r, basis);
    const m = ctx.symbol('m');
    return { ifnotnull: { [m]: member(r, basis) }, then: m, else: lit.double(descending ? -Infinity : Infinity) };
  };
  const before = {
    params: [{ x: syms.rule }, { y: syms.rule }],
    ret: 'boolean',
    do: { [descending ? '>' : '<']: [key(local('x')), key(local('y'))] },
  };
  const ordered = ctx.symbol('ordered');
  const read: Pfa = { attr: ordered, path: [rank - 1, { string: feature }] };
  return {
    type,
    value: {
      do: [
        { let: { [ordered]: { 'a.sortLT': [selected, before] } } },
        {
          if: { '>=': [{ 'a.len': [ordered] }, rank] },
          then: OPTIONAL_MEASURES.includes(feature) ? read : { upcast: read, as: ['null', type] },
          else: lit.missing(type),
        },
      ],
    },
  };
}
