/**
 * 32-bit float semantics. PMML `dataType="float"` values are float32 numbers, and JPMML's
 * `x-mathContext="float"` (written by XGBoost converters) makes a model compute in float32: tree
 * scores, sums, Targets and link functions. The lowered PFA keeps every field value a double but
 * rounds where the producer rounds: `cast.float` (the engine rounds values of type float), then back
 * to double. Constants are rounded when lowering.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { LowerContext, lit, parseNumber, type Pfa } from './context.js';

/** Whether a model element computes in float32. */
export function floatMath(model: XmlElement): boolean {
  return model.attrs['x-mathContext'] === 'float';
}

/** A double expression rounded to the nearest float32, as a double. */
export function toFloat(x: Pfa): Pfa {
  return { upcast: { 'cast.float': [x] }, as: 'double' };
}

/**
 * A probability link (or exp) of a float model, on a float32 `y`, computed as float32 arithmetic:
 * every intermediate (the exponential, the sum, the quotient) is rounded to float32, as XGBoost's
 * own sigmoid and JPMML's float values do; rounding only the double result can differ in the last
 * bit, which for a probability near 1 is hundreds of ULPs of its complement. A sum, product or
 * quotient of two float32 values rounded from double equals the float32 operation; exp and atan are
 * the float32 nearest to the double function. undefined for links without a float32 form (probit),
 * which are computed in double and rounded.
 */
export function floatLink(name: string, y: Pfa): Pfa | undefined {
  const exp = (x: Pfa): Pfa => toFloat({ 'm.exp': [x] });
  switch (name) {
    case 'logit':
      return toFloat({ '/': [1.0, toFloat({ '+': [1.0, exp({ 'u-': [y] })] })] });
    case 'exp':
      return exp(y);
    case 'cloglog':
      return toFloat({ '-': [1.0, exp({ 'u-': [exp(y)] })] });
    case 'loglog':
      return exp({ 'u-': [exp({ 'u-': [y] })] });
    case 'cauchit':
      return toFloat({ '+': [0.5, toFloat({ '*': [Math.fround(1 / Math.fround(Math.PI)), toFloat({ 'm.atan': [y] })] })] });
    default:
      return undefined;
  }
}

/** A field value (["null", "double"]) rounded to float32; missing stays missing. */
export function floatValue(value: Pfa, ctx: LowerContext): Pfa {
  const v = ctx.symbol('f');
  return { ifnotnull: { [v]: value }, then: lit.some('double', toFloat(v)), else: lit.missing('double') };
}

/** A numeric constant of a float field or float model: the float32 nearest to it. */
export function floatConstant(x: number, float: boolean): number {
  return float ? Math.fround(x) : x;
}

/**
 * The float32 start of a float model's `sum` segmentation. XGBoost writes its base score as the
 * Target's rescaleConstant; XGBoost 1.3 and later add it first, then each tree in float32 (older
 * versions, and JPMML-Evaluator, add it after the trees). As float addition is not associative,
 * the sum starts from the constant and Targets leave it out (see `targets`).
 * undefined when the model is not such a sum (its sum then starts from 0).
 */
export function floatSumStart(model: XmlElement): number | undefined {
  if (!floatMath(model) || model.name !== 'MiningModel' || (model.attrs.functionName ?? 'regression') !== 'regression') return undefined;
  const segmentation = child(model, 'Segmentation');
  if (segmentation?.attrs.multipleModelMethod !== 'sum') return undefined;
  const targets = child(model, 'Targets');
  const target = targets && childrenNamed(targets, 'Target')[0];
  const factor = target?.attrs.rescaleFactor === undefined ? 1 : parseNumber(target.attrs.rescaleFactor);
  const shift = target?.attrs.rescaleConstant === undefined ? undefined : parseNumber(target.attrs.rescaleConstant);
  return factor === 1 && shift !== undefined ? Math.fround(shift) : undefined;
}
