/**
 * SupportVectorMachineModel: every SupportVectorMachine is f(x) = sum of coefficient * K(x, vector)
 * plus the absolute coefficient, which is PFA's `model.svm.score` with an `m.kernel.*` function. The
 * machines (with their support vectors) live in one cell. The linear `Coefficients` representation
 * is the same sum over unit vectors with the linear kernel.
 *
 * Regression predicts the first machine's value. Classification votes (OneAgainstOne, or a single
 * binary machine): each machine votes for its targetCategory when its value is below the threshold
 * (above it with maxWins) and for its alternateTargetCategory otherwise; the category with most votes
 * wins, the first in category order on a tie, and its probability is its share of the votes.
 * OneAgainstAll picks the targetCategory of the lowest value (highest with maxWins).
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, NULL_RESULT, type Scope, result } from './context.js';
import { local, type Pfa, type Ref } from './builder.js';
import { arrayChild } from './arrays.js';
import { vectorComponent, withVector } from './vector.js';
import type { FamilyLowering } from './family.js';

const VECTOR_TYPE = {
  type: 'record',
  name: 'SvmVector',
  fields: [
    { name: 'supVec', type: { type: 'array', items: 'double' } },
    { name: 'coeff', type: 'double' },
  ],
};
const MACHINE_TYPE = {
  type: 'record',
  name: 'SvmMachine',
  fields: [
    { name: 'const', type: 'double' },
    { name: 'posClass', type: { type: 'array', items: VECTOR_TYPE } },
    { name: 'negClass', type: { type: 'array', items: 'SvmVector' } },
  ],
};

/** The kernel as a PFA function reference with its parameters filled in. */
function kernel(model: XmlElement, ctx: LowerContext): Pfa {
  const k =
    model.children.find((c) => c.name.endsWith('KernelType')) ??
    ctx.fail(model, 'pmml-invalid', 'SupportVectorMachineModel needs a kernel type');
  switch (k.name) {
    case 'LinearKernelType':
      return { fcn: 'm.kernel.linear' };
    case 'PolynomialKernelType':
      return {
        fcn: 'm.kernel.poly',
        fill: { gamma: ctx.number(k, 'gamma', 1), intercept: ctx.number(k, 'coef0', 1), degree: ctx.number(k, 'degree', 1) },
      };
    case 'RadialBasisKernelType':
      return { fcn: 'm.kernel.rbf', fill: { gamma: ctx.number(k, 'gamma', 1) } };
    case 'SigmoidKernelType':
      return { fcn: 'm.kernel.sigmoid', fill: { gamma: ctx.number(k, 'gamma', 1), intercept: ctx.number(k, 'coef0', 1) } };
    default:
      return ctx.unsupported(k);
  }
}

/** One machine as a `model.svm.score` model record. */
function machine(
  svm: XmlElement,
  vectors: ReadonlyMap<string, number[]>,
  dimension: number,
  byCoefficients: boolean,
  ctx: LowerContext,
): unknown {
  const coefficients = child(svm, 'Coefficients') ?? ctx.fail(svm, 'pmml-invalid', 'SupportVectorMachine needs Coefficients');
  const coeffs = childrenNamed(coefficients, 'Coefficient').map((c) => ctx.number(c, 'value', 0));
  let supVecs: number[][];
  if (byCoefficients) {
    if (coeffs.length !== dimension) ctx.fail(coefficients, 'pmml-invalid', `${coeffs.length} coefficients for ${dimension} vector fields`);
    supVecs = coeffs.map((_, i) => Array.from({ length: dimension }, (_, j) => (i === j ? 1 : 0)));
  } else {
    const refs = childrenNamed(
      child(svm, 'SupportVectors') ?? ctx.fail(svm, 'pmml-invalid', 'SupportVectorMachine needs SupportVectors'),
      'SupportVector',
    );
    if (refs.length !== coeffs.length)
      ctx.fail(coefficients, 'pmml-invalid', `${coeffs.length} coefficients for ${refs.length} support vectors`);
    supVecs = refs.map(
      (r) =>
        vectors.get(ctx.attr(r, 'vectorId')) ??
        ctx.fail(r, 'pmml-invalid', `no VectorInstance with id ${JSON.stringify(r.attrs.vectorId)}`),
    );
  }
  return {
    const: ctx.number(coefficients, 'absoluteValue', 0),
    posClass: supVecs.map((supVec, i) => ({ supVec, coeff: coeffs[i]! })),
    negClass: [],
  };
}

export const lowerSvm: FamilyLowering = (model, ctx, scope) => {
  const dictionary =
    child(model, 'VectorDictionary') ?? ctx.fail(model, 'pmml-invalid', 'SupportVectorMachineModel needs a VectorDictionary');
  const fields = child(dictionary, 'VectorFields') ?? ctx.fail(dictionary, 'pmml-invalid', 'VectorDictionary needs VectorFields');
  const components = fields.children.filter((c) => c.name !== 'Extension').map((c) => vectorComponent(c, ctx, scope as Scope));
  const vectors = new Map(
    childrenNamed(dictionary, 'VectorInstance').map((v) => {
      const values = arrayChild(v, ctx);
      if (values.length !== components.length)
        ctx.fail(v, 'pmml-invalid', `vector ${v.attrs.id} has ${values.length} values for ${components.length} vector fields`);
      return [ctx.attr(v, 'id'), values] as const;
    }),
  );
  const svms = childrenNamed(model, 'SupportVectorMachine');
  if (svms.length === 0) ctx.fail(model, 'pmml-invalid', 'SupportVectorMachineModel has no SupportVectorMachine');
  const byCoefficients = model.attrs.svmRepresentation === 'Coefficients';
  const cell = ctx.symbol('svm');
  ctx.cells[cell] = {
    type: { type: 'array', items: ctx.namedType(MACHINE_TYPE) },
    init: svms.map((s) => machine(s, vectors, components.length, byCoefficients, ctx)),
  };
  const k = kernel(model, ctx);

  if ((model.attrs.functionName ?? 'regression') === 'regression') {
    return [
      withVector(
        components,
        ctx,
        (x) => result({ number: { upcast: { 'model.svm.score': [x, { cell, path: [0] }, k] }, as: ['null', 'double'] } }),
        NULL_RESULT,
      ),
    ];
  }

  const maxWins = model.attrs.maxWins === 'true';
  const targets = svms.map((s) => ctx.attr(s, 'targetCategory'));
  const target = childrenNamed(child(model, 'MiningSchema')!, 'MiningField').find(
    (m) => m.attrs.usageType === 'target' || m.attrs.usageType === 'predicted',
  );
  const declared = target ? scope.get(ctx.attr(target, 'name'))?.values : undefined;
  const voting = model.attrs.classificationMethod === 'OneAgainstOne' || svms.length === 1;
  const scores = ctx.symbol('scores');
  const score = (x: Ref): Pfa => ({
    'a.map': [{ cell }, { params: [{ m: 'SvmMachine' }], ret: 'double', do: { 'model.svm.score': [x, local('m'), k] } }],
  });

  if (!voting) {
    const labels = { type: { type: 'array', items: 'string' }, value: targets };
    const pick = maxWins ? 'a.argmax' : 'a.argmin';
    return [
      withVector(
        components,
        ctx,
        (x) => ({
          do: [
            { let: { [scores]: score(x) } },
            result({ label: { upcast: { attr: labels, path: [{ [pick]: [scores] }] }, as: ['null', 'string'] } }),
          ],
        }),
        NULL_RESULT,
      ),
    ];
  }

  const alternates = svms.map((s, i) => {
    const alt =
      s.attrs.alternateTargetCategory ??
      model.attrs.alternateBinaryTargetCategory ??
      (svms.length === 1 && declared?.length === 2 ? declared.find((d) => d !== targets[i]) : undefined);
    return alt ?? ctx.fail(s, 'pmml-missing-attribute', 'SupportVectorMachine needs alternateTargetCategory to vote');
  });
  const categories = [...new Set([...(declared ?? []), ...svms.flatMap((_, i) => [targets[i]!, alternates[i]!])])].filter(
    (c) => targets.includes(c) || alternates.includes(c),
  );
  const modelThreshold = ctx.number(model, 'threshold', 0);
  // Whether machine i votes for its targetCategory.
  const forTarget = (i: number): Pfa => ({
    [maxWins ? '>' : '<']: [{ attr: scores, path: [i] }, ctx.number(svms[i]!, 'threshold', modelThreshold)],
  });
  const votes = ctx.symbol('votes');
  const votesFor = (c: string): Pfa =>
    svms
      .map((_, i): Pfa | undefined =>
        targets[i] === c
          ? { if: forTarget(i), then: 1.0, else: 0.0 }
          : alternates[i] === c
            ? { if: forTarget(i), then: 0.0, else: 1.0 }
            : undefined,
      )
      .filter((t) => t !== undefined)
      .reduce((a, b) => ({ '+': [a, b] }));
  const labels = { type: { type: 'array', items: 'string' }, value: categories };
  const probs = {
    new: Object.fromEntries(categories.map((c, i) => [c, { '/': [{ attr: votes, path: [i] }, svms.length] }])),
    type: { type: 'map', values: 'double' },
  };
  return [
    withVector(
      components,
      ctx,
      (x) => ({
        do: [
          { let: { [scores]: score(x) } },
          { let: { [votes]: { new: categories.map(votesFor), type: { type: 'array', items: 'double' } } } },
          result({ label: { upcast: { attr: labels, path: [{ 'a.argmax': [votes] }] }, as: ['null', 'string'] }, probs }),
        ],
      }),
      NULL_RESULT,
    ),
  ];
};
