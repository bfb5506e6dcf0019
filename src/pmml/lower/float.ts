/**
 * 32-bit float semantics. PMML `dataType="float"` values are float32 numbers, and JPMML's
 * `x-mathContext="float"` (written by XGBoost converters) makes a model compute in float32: tree
 * scores, sums, Targets and link functions. The lowered PFA keeps every field value a double but
 * rounds where the producer rounds: `cast.float` (the engine rounds values of type float), then back
 * to double. Constants are rounded when lowering.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, lit, parseNumber } from './context.js';
import type { Pfa } from './builder.js';

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
 * Target's rescaleConstant, and where it adds it has changed: XGBoost before 1.0 summed the trees
 * from 0 and added the base score last (and JPMML-Evaluator, which sums the segments and then
 * applies Targets, does so for every document); later versions start the sum from the base score.
 * As float addition is not associative, the two orders differ in the last bits.
 *
 * A document does not name the XGBoost version; its converter generation does (`baseScoreLast`).
 * When the base score comes first, the sum starts from the constant and Targets leave it out (see
 * `targets`). undefined when the model is not such a sum, or adds its base score last (its sum
 * then starts from 0).
 */
export function floatSumStart(model: XmlElement, ctx: LowerContext): number | undefined {
  if (
    ctx.producer.baseScoreLast ||
    !floatMath(model) ||
    model.name !== 'MiningModel' ||
    (model.attrs.functionName ?? 'regression') !== 'regression'
  )
    return undefined;
  const segmentation = child(model, 'Segmentation');
  if (segmentation?.attrs.multipleModelMethod !== 'sum') return undefined;
  const targets = child(model, 'Targets');
  const target = targets && childrenNamed(targets, 'Target')[0];
  const factor = target?.attrs.rescaleFactor === undefined ? 1 : parseNumber(target.attrs.rescaleFactor);
  const shift = target?.attrs.rescaleConstant === undefined ? undefined : parseNumber(target.attrs.rescaleConstant);
  return factor === 1 && shift !== undefined ? Math.fround(shift) : undefined;
}

/**
 * Whether a document's float sums add the base score last, as models of XGBoost before 1.0 do.
 *
 * `x-mathContext` is JPMML's own attribute, so a document that has it was written by a JPMML
 * converter (JPMML-XGBoost, JPMML-SparkML, JPMML-SkLearn and SkLearn2PMML, JPMML-R and r2pmml).
 * Those converters wrote PMML 4.3, with the 4.4 features as `x-` extensions, until their 2020
 * generation (JPMML-Model 1.5), which writes PMML 4.4; XGBoost 1.0 came out in February 2020. A
 * document declaring a PMML version below 4.4 (XGBoost4J-Spark 0.x models through JPMML-SparkML
 * 1.5) therefore comes from XGBoost 0.x. So does one whose Header names JPMML-XGBoost 1.5 or
 * earlier, the standalone converter of XGBoost 0.x model files. Later documents (SkLearn2PMML,
 * JPMML-SparkML 2.x) come from XGBoost 1.x or later, which adds the base score first.
 */
export function addsBaseScoreLast(pmml: XmlElement): boolean {
  if (below(pmml.attrs.version, 4, 4)) return true;
  const header = child(pmml, 'Header');
  const application = header && child(header, 'Application');
  return application?.attrs.name === 'JPMML-XGBoost' && below(application.attrs.version, 1, 6);
}

/** Whether a `major.minor[...]` version is below major.minor; false when it is not one. */
function below(version: string | undefined, major: number, minor: number): boolean {
  const m = /^\s*(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return false;
  const [a, b] = [Number(m[1]), Number(m[2])];
  return a < major || (a === major && b < minor);
}
