/**
 * GeneralRegressionModel: a design vector x (one entry per Parameter, the product of its PPMatrix
 * cells: covariates raised to the cell's power, factor indicators or contrast-matrix codes) and a
 * ParamMatrix of betas per target category, kept in a cell and applied with `model.reg.linear`.
 * The modelType decides what the linear predictors mean:
 * - regression, generalLinear: the predicted value itself;
 * - generalizedLinear: the inverse link of predictor + offset, times the number of trials (a
 *   binomial classification gives the probability of the category the betas are for);
 * - multinomialLogistic: softmax over the categories (the reference category's predictor is 0);
 * - ordinalMultinomial: cumulative probabilities through the cumulative link;
 * - CoxRegression: the cumulative hazard H0(t) * exp(r - s) at the end time, with the baseline
 *   H0 of the record's stratum (see cox.ts).
 * A missing predictor makes the whole prediction missing.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, NULL_RESULT, type Scope, result, type FieldInfo } from './context.js';
import type { Pfa, Ref } from './builder.js';
import { matchCell } from './expression.js';
import { numberArray } from './arrays.js';
import { coxHazard } from './cox.js';
import { linearPredictors } from './linear.js';
import { classified } from './categories.js';
import type { FamilyLowering } from './family.js';
import { probabilityLink } from './links.js';

const DOUBLES = { type: 'array', items: 'double' };

/** The fields a model reads, each with the symbol that holds its present value. */
export class UsedFields {
  private readonly fields = new Map<string, { info: FieldInfo; v: Ref }>();

  constructor(
    private readonly ctx: LowerContext,
    private readonly scope: Scope,
  ) {}

  /** The symbol of the present value of field `name`. */
  use(el: XmlElement, name: string): { info: FieldInfo; v: Ref } {
    let f = this.fields.get(name);
    if (!f) {
      f = { info: this.ctx.field(el, this.scope, name), v: this.ctx.symbol(name) };
      this.fields.set(name, f);
    }
    return f;
  }

  /** `body` when every used field is present, the null result otherwise. */
  present(body: Pfa): Pfa {
    if (this.fields.size === 0) return body;
    return { ifnotnull: Object.fromEntries([...this.fields.values()].map((f) => [f.v, f.info.symbol])), then: body, else: NULL_RESULT };
  }
}

/** A present value as a double: booleans count as 0/1. */
function numeric(f: { info: FieldInfo; v: Ref }, el: XmlElement, ctx: LowerContext): Pfa {
  if (f.info.type === 'string') ctx.fail(el, 'pmml-invalid', `covariate ${f.info.name} is not numeric`);
  return f.info.type === 'boolean' ? { if: f.v, then: 1.0, else: 0.0 } : f.v;
}

interface Factor {
  readonly categories?: readonly string[];
  /** Contrast matrix rows, one per category. */
  readonly matrix?: readonly (readonly number[])[];
}

function contrastMatrix(el: XmlElement, ctx: LowerContext): number[][] {
  const rows = ctx.number(el, 'nbRows');
  const cols = ctx.number(el, 'nbCols');
  const cells = childrenNamed(el, 'MatCell');
  if (cells.length === 0) {
    const m = el.children.filter((c) => c.name !== 'Extension').map((a) => numberArray(a, ctx));
    if (m.length !== rows || m.some((r) => r.length !== cols)) ctx.fail(el, 'pmml-invalid', `Matrix is not ${rows} x ${cols}`);
    return m;
  }
  const diag = ctx.number(el, 'diagDefault', 0);
  const off = ctx.number(el, 'offDiagDefault', 0);
  const m = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === j ? diag : off)));
  for (const c of cells) m[ctx.number(c, 'row') - 1]![ctx.number(c, 'col') - 1] = Number(c.text);
  return m;
}

function factorList(model: XmlElement, ctx: LowerContext): Map<string, Factor> {
  const out = new Map<string, Factor>();
  for (const p of childrenNamed(child(model, 'FactorList') ?? model, 'Predictor')) {
    const categories = child(p, 'Categories');
    const matrix = child(p, 'Matrix');
    out.set(ctx.attr(p, 'name'), {
      ...(categories ? { categories: childrenNamed(categories, 'Category').map((c) => ctx.attr(c, 'value')) } : {}),
      ...(matrix && categories ? { matrix: contrastMatrix(matrix, ctx) } : {}),
    });
  }
  return out;
}

/** The value of one PPCell for the record: a covariate's power, a factor's indicator or contrast code. */
function cellValue(cell: XmlElement, ctx: LowerContext, used: UsedFields, factors: Map<string, Factor>, covariates: Set<string>): Pfa {
  if (cell.attrs.targetCategory !== undefined) ctx.unsupported(cell, 'PPCell with a targetCategory');
  const name = ctx.attr(cell, 'predictorName');
  const f = used.use(cell, name);
  const value = ctx.attr(cell, 'value');
  const factor = factors.get(name);
  // A predictor in neither list is a factor when its field is categorical.
  if (factor === undefined && (covariates.has(name) || f.info.optype === 'continuous')) {
    const power = ctx.number(cell, 'value', 1);
    const x = numeric(f, cell, ctx);
    return power === 1 ? x : { '**': [x, power] };
  }
  if (!factor?.matrix) return { if: matchCell(ctx, cell, f.v, f.info.type, value), then: 1.0, else: 0.0 };
  // Contrast coding: the row of the record's category, the column of the cell's category.
  const categories = factor.categories!;
  const col = categories.indexOf(value);
  if (col < 0 || col >= factor.matrix[0]!.length)
    ctx.fail(cell, 'pmml-invalid', `${JSON.stringify(value)} names no column of the contrast matrix of ${name}`);
  const literal = (text: string): Pfa => matchCell(ctx, cell, f.v, f.info.type, text);
  return {
    cond: categories.map((c, row) => ({ if: literal(c), then: factor.matrix![row]![col]! })),
    else: { error: `a value of ${name} is not among its Categories` },
  };
}

interface Design {
  readonly parameters: readonly XmlElement[];
  /** The design vector, an array<double> expression. */
  readonly x: Pfa;
}

function design(model: XmlElement, ctx: LowerContext, used: UsedFields): Design {
  const parameters = childrenNamed(child(model, 'ParameterList') ?? model, 'Parameter');
  const factors = factorList(model, ctx);
  const covariates = new Set(childrenNamed(child(model, 'CovariateList') ?? model, 'Predictor').map((p) => ctx.attr(p, 'name')));
  const cells = new Map<string, XmlElement[]>();
  for (const c of childrenNamed(child(model, 'PPMatrix') ?? model, 'PPCell')) {
    const p = ctx.attr(c, 'parameterName');
    cells.set(p, [...(cells.get(p) ?? []), c]);
  }
  const x = parameters.map((p) => {
    const mine = cells.get(ctx.attr(p, 'name')) ?? [];
    // A parameter with no cells is the intercept.
    if (mine.length === 0) return 1.0;
    return mine.map((c) => cellValue(c, ctx, used, factors, covariates)).reduce((a, b) => ({ '*': [a, b] }));
  });
  return { parameters, x: { new: x, type: DOUBLES } };
}

/** ParamMatrix betas by target category ('' for cells without one), aligned with the parameters. */
function betas(model: XmlElement, ctx: LowerContext, parameters: readonly XmlElement[]): Map<string, number[]> {
  const index = new Map(parameters.map((p, i) => [ctx.attr(p, 'name'), i]));
  const out = new Map<string, number[]>();
  for (const c of childrenNamed(
    child(model, 'ParamMatrix') ?? ctx.fail(model, 'pmml-invalid', 'GeneralRegressionModel has no ParamMatrix'),
    'PCell',
  )) {
    const name = ctx.attr(c, 'parameterName');
    const i = index.get(name) ?? ctx.fail(c, 'pmml-invalid', `parameter ${JSON.stringify(name)} is not in the ParameterList`);
    const key = c.attrs.targetCategory ?? '';
    if (!out.has(key)) out.set(key, new Array<number>(parameters.length).fill(0));
    out.get(key)![i] = ctx.number(c, 'beta');
  }
  return out;
}

/** The inverse of a generalizedLinear model's linkFunction, on a double expression `y`. */
function inverseLink(model: XmlElement, ctx: LowerContext, y: Pfa): Pfa {
  const link = model.attrs.linkFunction ?? ctx.fail(model, 'pmml-missing-attribute', 'a generalizedLinear model needs a linkFunction');
  const d = (): number => ctx.number(model, 'linkParameter');
  switch (link) {
    case 'identity':
      return y;
    case 'log':
      return { 'm.exp': [y] };
    case 'logc':
      return { '-': [1.0, { 'm.exp': [y] }] };
    case 'negbin':
      return { '/': [1.0, { '*': [ctx.number(model, 'distParameter'), { '-': [{ 'm.exp': [{ 'u-': [y] }] }, 1.0] }] }] };
    case 'oddspower':
      return d() === 0 ? { 'm.link.logit': [y] } : { '/': [1.0, { '+': [1.0, { '**': [{ '+': [1.0, { '*': [d(), y] }] }, -1 / d()] }] }] };
    case 'power':
      return d() === 0 ? { 'm.exp': [y] } : { '**': [y, 1 / d()] };
    default:
      return probabilityLink(link, y) ?? ctx.unsupported(model, `linkFunction ${link}`);
  }
}

/** The cumulative distribution an ordinalMultinomial model's cumulativeLink names. */
function cumulative(model: XmlElement, ctx: LowerContext, y: Pfa): Pfa {
  const link =
    model.attrs.cumulativeLink ?? ctx.fail(model, 'pmml-missing-attribute', 'an ordinalMultinomial model needs a cumulativeLink');
  return probabilityLink(link, y) ?? ctx.unsupported(model, `cumulativeLink ${link}`);
}

/** offsetVariable (a field) or offsetValue, added to the linear predictor. */
function offset(model: XmlElement, ctx: LowerContext, used: UsedFields): Pfa {
  const name = model.attrs.offsetVariable;
  if (name !== undefined) return numeric(used.use(model, name), model, ctx);
  return ctx.number(model, 'offsetValue', 0);
}

/** trialsVariable (a field) or trialsValue: the mean is multiplied by the number of trials. */
function trials(model: XmlElement, ctx: LowerContext, used: UsedFields): Pfa | undefined {
  const name = model.attrs.trialsVariable;
  if (name !== undefined) return numeric(used.use(model, name), model, ctx);
  return model.attrs.trialsValue !== undefined ? ctx.number(model, 'trialsValue') : undefined;
}

/** Target categories: the target field's declared values, else those the ParamMatrix names. */
function categories(model: XmlElement, ctx: LowerContext, scope: Scope, named: Iterable<string>): string[] {
  const mf = childrenNamed(child(model, 'MiningSchema')!, 'MiningField').find(
    (m) => m.attrs.usageType === 'target' || m.attrs.usageType === 'predicted',
  );
  const declared = mf ? scope.get(ctx.attr(mf, 'name'))?.values : undefined;
  const out = declared ? [...declared] : [];
  for (const c of [...named, model.attrs.targetReferenceCategory]) if (c && !out.includes(c)) out.push(c);
  return out;
}

const some = (x: Pfa): Pfa => ({ upcast: x, as: ['null', 'double'] });

export const lowerGeneralRegression: FamilyLowering = (model, ctx, scope) => {
  const modelType = ctx.attr(model, 'modelType');
  const used = new UsedFields(ctx, scope);
  const { parameters, x } = design(model, ctx, used);
  const b = betas(model, ctx, parameters);
  const classification = model.attrs.functionName === 'classification';
  const [ys, probs] = [ctx.symbol('ys'), ctx.symbol('probs')];
  const single = (): number[] => {
    if (b.size > 1) ctx.fail(model, 'pmml-invalid', `a ${modelType} model has betas for one target only`);
    return [...b.values()][0] ?? new Array<number>(parameters.length).fill(0);
  };
  const bind = (value: Pfa, body: Pfa): Pfa => used.present({ do: [{ let: { [ys]: value } }, body] });

  switch (modelType) {
    case 'regression':
    case 'generalLinear':
      return [bind(linearPredictors(ctx, 'betas', x, [single()]), result({ number: some({ attr: ys, path: [0] }) }))];

    case 'generalizedLinear': {
      const row = single();
      const eta = { '+': [{ attr: ys, path: [0] }, offset(model, ctx, used)] };
      const n = trials(model, ctx, used);
      const mean = n === undefined ? inverseLink(model, ctx, eta) : { '*': [n, inverseLink(model, ctx, eta)] };
      if (!classification) return [bind(linearPredictors(ctx, 'betas', x, [row]), result({ number: some(mean) }))];
      // Binomial: the betas give the probability of their category, the other category the rest.
      const event = [...b.keys()][0] ?? model.attrs.targetReferenceCategory ?? '';
      const labels = categories(model, ctx, scope, [event]);
      if (labels.length !== 2) ctx.unsupported(model, `a generalizedLinear classification over ${labels.length} categories`);
      const p = ctx.symbol('p');
      const pairs = labels[0] === event ? [p, { '-': [1.0, p] }] : [{ '-': [1.0, p] }, p];
      return [
        bind(linearPredictors(ctx, 'betas', x, [row]), {
          do: [
            { let: { [p]: { max: [0.0, { min: [1.0, mean] }] } } },
            { let: { [probs]: { new: pairs, type: DOUBLES } } },
            classified(labels, probs),
          ],
        }),
      ];
    }

    case 'multinomialLogistic': {
      const labels = categories(model, ctx, scope, b.keys());
      const zero = new Array<number>(parameters.length).fill(0);
      // The reference category (and any category without betas) has the predictor 0.
      const rows = labels.map((c) => b.get(c) ?? zero);
      return [
        bind(linearPredictors(ctx, 'betas', x, rows), {
          do: [{ let: { [probs]: { 'm.link.softmax': [ys] } } }, classified(labels, probs)],
        }),
      ];
    }

    case 'ordinalMultinomial': {
      const labels = categories(
        model,
        ctx,
        scope,
        [...b.keys()].filter((k) => k !== ''),
      );
      const shared = b.get('') ?? new Array<number>(parameters.length).fill(0);
      // One cumulative probability per category but the last: the category's intercepts plus the shared betas.
      const rows = labels.slice(0, -1).map((c) => shared.map((s, i) => s + (b.get(c)?.[i] ?? 0)));
      const cum = ctx.symbol('cum');
      const y = ctx.symbol('y');
      const a = offset(model, ctx, used);
      const at = (i: number): Pfa => ({ attr: cum, path: [i] });
      const steps = labels.map((_, i) =>
        i === 0 ? at(0) : i === labels.length - 1 ? { '-': [1.0, at(i - 1)] } : { '-': [at(i), at(i - 1)] },
      );
      return [
        bind(linearPredictors(ctx, 'betas', x, rows), {
          do: [
            {
              let: {
                [cum]: { 'a.map': [ys, { params: [{ [y]: 'double' }], ret: 'double', do: cumulative(model, ctx, { '+': [y, a] }) }] },
              },
            },
            { let: { [probs]: { new: steps, type: DOUBLES } } },
            classified(labels, probs),
          ],
        }),
      ];
    }

    case 'CoxRegression': {
      const row = single();
      // s: the predictor at the reference point, subtracted from the record's.
      const s = parameters.reduce((acc, p, i) => acc + ctx.number(p, 'referencePoint', 0) * row[i]!, 0);
      const r = { '-': [{ attr: ys, path: [0] }, s] };
      return [bind(linearPredictors(ctx, 'betas', x, [row]), coxHazard(model, ctx, used, r))];
    }

    default:
      return ctx.unsupported(model, `modelType ${modelType}`);
  }
};
