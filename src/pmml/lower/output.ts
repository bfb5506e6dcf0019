/**
 * A model's Output element: each OutputField reads its feature from the model's `Result` (or
 * evaluates its expression) and becomes a field in scope, so later output fields and chained
 * segments can refer to it.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, type Scope, lit, valueType, type FieldInfo, type ValueType } from './context.js';
import { member, origin, type Pfa, type Ref } from './builder.js';
import { lowerExpression } from './expression.js';
import { expressionChild } from './lowered.js';
import { convertValue } from './lowered.js';
import { floatMath, floatValue } from './float.js';
import type { MiningFunction } from './family.js';

export interface OutputInfo {
  readonly field: FieldInfo;
  /** `isFinalResult="false"` fields are intermediate: not part of the model's results. */
  readonly final: boolean;
}

interface ModelState {
  readonly result: Ref;
  readonly functionName: MiningFunction;
  readonly target: { readonly name: string; readonly type: ValueType } | undefined;
  readonly statements: Pfa[];
}

/** The predicted value of a model as a field value of `type`. */
export function predicted(result: Ref, fn: MiningFunction, type: ValueType, ctx: LowerContext): Pfa {
  const numeric = fn === 'regression';
  return convertValue({ pfa: member(result, numeric ? 'number' : 'label'), type: numeric ? 'double' : 'string' }, type, ctx);
}

function mapEntry(map: Pfa, key: Pfa): Pfa {
  return {
    if: { 'map.containsKey': [map, key] },
    then: { upcast: { attr: map, path: [key] }, as: ['null', 'double'] },
    else: lit.missing('double'),
  };
}

export function outputFields(model: XmlElement, ctx: LowerContext, scope: Scope, state: ModelState): OutputInfo[] {
  const output = child(model, 'Output');
  if (!output) return [];
  const { result, functionName } = state;
  return childrenNamed(output, 'OutputField').map((of) => {
    const name = ctx.attr(of, 'name');
    const feature = of.attrs.feature ?? 'predictedValue';
    const declared = of.attrs.dataType ? valueType(of.attrs.dataType) : undefined;
    let value: Pfa;
    let type: ValueType;
    const own = ctx.familyOutputs.get(model)?.feature(of);
    switch (own ? 'family' : feature) {
      case 'family':
        ({ value, type } = own!);
        break;
      case 'predictedValue': {
        type = declared ?? (functionName === 'regression' ? 'double' : 'string');
        value = predicted(result, functionName, type, ctx);
        break;
      }
      case 'predictedDisplayValue': {
        type = 'string';
        value = predicted(result, functionName, 'string', ctx);
        const names = ctx.displayValues.get(model);
        if (names) {
          const [l, table] = [ctx.symbol('l'), { type: { type: 'map', values: 'string' }, value: Object.fromEntries(names) }];
          value = {
            ifnotnull: { [l]: value },
            then: { upcast: { if: { 'map.containsKey': [table, l] }, then: { attr: table, path: [l] }, else: l }, as: ['null', 'string'] },
            else: lit.missing('string'),
          };
        }
        break;
      }
      case 'probability':
      case 'confidence': {
        type = 'double';
        if (of.attrs.value !== undefined) value = mapEntry(member(result, 'probs'), lit.string(of.attrs.value));
        else {
          const l = ctx.symbol('l');
          value = { ifnotnull: { [l]: member(result, 'label') }, then: mapEntry(member(result, 'probs'), l), else: lit.missing('double') };
        }
        break;
      }
      case 'entityId':
      case 'clusterId':
        type = 'string';
        value = feature === 'clusterId' ? member(result, 'label') : member(result, 'entity');
        break;
      case 'affinity':
      case 'entityAffinity':
      case 'clusterAffinity': {
        type = 'double';
        if (of.attrs.value !== undefined) value = mapEntry(member(result, 'affinities'), lit.string(of.attrs.value));
        else {
          const e = ctx.symbol('e');
          value = {
            ifnotnull: { [e]: member(result, feature === 'clusterAffinity' ? 'label' : 'entity') },
            then: mapEntry(member(result, 'affinities'), e),
            else: lit.missing('double'),
          };
        }
        break;
      }
      case 'reasonCode': {
        type = 'string';
        const rank = ctx.number(of, 'rank', 1);
        value = {
          if: { '>': [{ 'a.len': [member(result, 'reasons')] }, rank - 1] },
          then: { upcast: { attr: member(result, 'reasons'), path: [rank - 1] }, as: ['null', 'string'] },
          else: lit.missing('string'),
        };
        break;
      }
      case 'transformedValue':
      case 'decision': {
        const expr = expressionChild(of) ?? ctx.fail(of, 'pmml-invalid', `OutputField ${name} has no expression`);
        const low = lowerExpression(expr, ctx, scope);
        type = declared ?? low.type;
        value = convertValue(low, type, ctx);
        break;
      }
      case 'residual': {
        const target = state.target ?? ctx.fail(of, 'pmml-invalid', 'a residual needs a target field');
        const actual = ctx.field(of, scope, target.name);
        type = 'double';
        const [a, p] = [ctx.symbol('a'), ctx.symbol('p')];
        value = {
          ifnotnull: { [a]: actual.symbol, [p]: member(result, 'number') },
          then: { upcast: { '-': [a, p] }, as: ['null', 'double'] },
          else: lit.missing('double'),
        };
        break;
      }
      default:
        return ctx.unsupported(of, `OutputField feature ${feature}`);
    }
    if (declared && declared !== type) {
      value = convertValue({ pfa: value, type }, declared, ctx);
      type = declared;
    }
    // Only a float model's float outputs are float32: other producers declare float for doubles.
    if (of.attrs.dataType === 'float' && type === 'double' && floatMath(model)) value = floatValue(value, ctx);
    const symbol = ctx.symbol(name);
    state.statements.push(origin(of, { let: { [symbol]: value } }));
    const field: FieldInfo = {
      name,
      symbol,
      type,
      dataType: of.attrs.dataType ?? type,
      optype: type === 'double' ? 'continuous' : 'categorical',
    };
    scope.define(field);
    return { field, final: of.attrs.isFinalResult !== 'false' };
  });
}
