/**
 * Scorecard: each Characteristic scores the partialScore (or ComplexPartialScore) of its first
 * Attribute whose predicate is TRUE; the score is initialScore plus all of them, missing when a
 * characteristic has no matching attribute or a missing complex score.
 *
 * Reason codes (useReasonCodes, the default): each characteristic's difference to its baseline
 * (baseline - partial for pointsBelow, partial - baseline for pointsAbove) is added to the reason code
 * of the matching attribute (else of the characteristic). Codes with a positive total rank highest
 * first, the earlier code in the document on a tie. When fewer codes are positive than the Output
 * asks for, the last one repeats, as the DMG specification's examples are scored.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, type Scope, lit, result } from './context.js';
import { local, type Pfa, type Ref } from './builder.js';
import { lowerExpression } from './expression.js';
import { expressionChild } from './lowered.js';
import { convertValue } from './lowered.js';
import { lowerPredicate, predicateChild } from './predicate.js';
import type { FamilyLowering } from './family.js';

interface Lowered {
  /** Symbol of the characteristic's partial score, ["null", double]. */
  readonly score: Ref;
  /** Symbol of the index of its matching attribute, -1 for none. */
  readonly match: Ref;
  readonly codes: readonly (string | undefined)[];
  readonly baseline: number | undefined;
}

function characteristic(el: XmlElement, ctx: LowerContext, scope: Scope, statements: Pfa[]): Lowered {
  const attributes = childrenNamed(el, 'Attribute');
  const match = ctx.symbol('match');
  const clauses = attributes.map((a, j) => {
    const pred = predicateChild(a) ?? ctx.fail(a, 'pmml-invalid', 'Attribute needs a predicate');
    const p = ctx.symbol('p');
    return { if: { ifnotnull: { [p]: lowerPredicate(pred, ctx, scope) }, then: p, else: false }, then: j };
  });
  statements.push({ let: { [match]: clauses.length ? { cond: clauses, else: -1 } : -1 } });
  const partial = (a: XmlElement): Pfa => {
    const complex = child(a, 'ComplexPartialScore');
    if (complex) {
      const expr = expressionChild(complex) ?? ctx.fail(complex, 'pmml-invalid', 'ComplexPartialScore needs an expression');
      return convertValue(lowerExpression(expr, ctx, scope), 'double', ctx);
    }
    return lit.some('double', lit.double(ctx.number(a, 'partialScore')));
  };
  const score = ctx.symbol('partial');
  statements.push({
    let: { [score]: { cond: attributes.map((a, j) => ({ if: { '==': [match, j] }, then: partial(a) })), else: lit.missing('double') } },
  });
  const baseline = el.attrs.baselineScore !== undefined ? ctx.number(el, 'baselineScore') : undefined;
  return { score, match, codes: attributes.map((a) => a.attrs.reasonCode ?? el.attrs.reasonCode), baseline };
}

export const lowerScorecard: FamilyLowering = (model, ctx, scope) => {
  const container = child(model, 'Characteristics') ?? ctx.fail(model, 'pmml-invalid', 'Scorecard needs Characteristics');
  const elements = childrenNamed(container, 'Characteristic');
  const statements: Pfa[] = [];
  const chars = elements.map((c) => characteristic(c, ctx, scope as Scope, statements));
  const scores = chars.map(() => ctx.symbol('s'));
  const total = scores.reduce<Pfa>((a, s) => ({ '+': [a, s] }), ctx.number(model, 'initialScore', 0));
  const number = { upcast: total, as: ['null', 'double'] };

  const output = child(model, 'Output');
  const wanted = output
    ? childrenNamed(output, 'OutputField')
        .filter((o) => o.attrs.feature === 'reasonCode')
        .reduce((n, o) => Math.max(n, ctx.number(o, 'rank', 1)), 0)
    : 0;
  let reasons: Pfa | undefined;
  if (model.attrs.useReasonCodes !== 'false' && wanted > 0) {
    const below = (model.attrs.reasonCodeAlgorithm ?? 'pointsBelow') === 'pointsBelow';
    const codes = [
      ...new Set(elements.flatMap((el, i) => [el.attrs.reasonCode, ...chars[i]!.codes]).filter((c): c is string => c !== undefined)),
    ];
    const points = (code: string): Pfa => {
      const terms = chars.flatMap((c, i) => {
        const baseline =
          c.baseline ??
          (model.attrs.baselineScore !== undefined
            ? ctx.number(model, 'baselineScore')
            : ctx.fail(elements[i]!, 'pmml-missing-attribute', 'a Characteristic needs a baselineScore when the Scorecard has none'));
        const matches = c.codes.flatMap((cc, j) => (cc === code ? [j] : []));
        if (matches.length === 0) return [];
        const diff = below ? { '-': [baseline, scores[i]!] } : { '-': [scores[i]!, baseline] };
        return [{ if: { 'a.contains': [{ type: { type: 'array', items: 'int' }, value: matches }, c.match] }, then: diff, else: 0.0 }];
      });
      return terms.reduce<Pfa>((a, b) => ({ '+': [a, b] }), 0.0);
    };
    const [pts, ranked] = [ctx.symbol('points'), ctx.symbol('ranked')];
    const codeArray = { type: { type: 'array', items: 'string' }, value: codes };
    reasons = {
      do: [
        { let: { [pts]: { new: codes.map(points), type: { type: 'array', items: 'double' } } } },
        {
          let: {
            [ranked]: {
              'a.map': [
                {
                  'a.filter': [
                    { 'a.argmaxN': [pts, codes.length] },
                    { params: [{ i: 'int' }], ret: 'boolean', do: { '>': [{ attr: pts, path: [local('i')] }, 0.0] } },
                  ],
                },
                { params: [{ i: 'int' }], ret: 'string', do: { attr: codeArray, path: [local('i')] } },
              ],
            },
          },
        },
        {
          if: { '>': [{ 'a.len': [ranked] }, 0] },
          then: {
            'a.map': [
              { type: { type: 'array', items: 'int' }, value: Array.from({ length: wanted }, (_, r) => r) },
              {
                params: [{ r: 'int' }],
                ret: 'string',
                do: { attr: ranked, path: [{ min: [local('r'), { '-': [{ 'a.len': [ranked] }, 1] }] }] },
              },
            ],
          },
          else: ranked,
        },
      ],
    };
  }
  return [
    ...statements,
    {
      ifnotnull: Object.fromEntries(chars.map((c, i) => [scores[i]!, c.score])),
      then: result({ number, ...(reasons ? { reasons } : {}) }),
      else: result({}),
    },
  ];
};
