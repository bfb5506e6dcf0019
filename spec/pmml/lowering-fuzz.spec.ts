/**
 * Fuzzing the PMML lowering with small documents built from a grammar: regression tables, trees,
 * segmentations, derived fields and outputs, whose names, numbers, operators and functions are drawn
 * from sets that mix good values with wrong ones (missing fields, unknown functions, numbers that
 * are not numbers, empty attributes). Every document loads or fails with a coded TrajanError that is
 * not a lowering defect; every loaded model scores records or fails with a coded error; and the
 * lowered PFA of every loaded model loads again on its own, as `trajan convert` writes it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TrajanError, loadPfa, loadPmml } from '../../src/index.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const attrs = (a: Record<string, string | undefined>): string =>
  Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(v!)}"`)
    .join('');

/** Mostly `good`, sometimes `bad`: enough wrong values to reach the errors, few enough that whole documents load. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: good, weight: 12 }, { arbitrary: bad, weight: 1 });

/** Field names: the dictionary's, a derived one, one nobody declares, and Object.prototype's. */
const fieldName = mostly(fc.constantFrom('x', 'n', 'c', '__proto__'), fc.constantFrom('d', 'zz'));
const number = mostly(
  fc.oneof(
    fc.integer({ min: -4, max: 4 }).map(String),
    fc.double({ min: -10, max: 10, noNaN: true }).map(String),
    fc.constantFrom('0.5', '1e-3', ' 2 '),
  ),
  fc.constantFrom('1E400', 'NaN', 'INF', '', 'abc', '0x10'),
);
const category = mostly(fc.constantFrom('a', 'b', '__proto__'), fc.constantFrom('constructor', 'zz', ''));
const numericField = mostly(fc.constantFrom('x', 'n', '__proto__'), fc.constantFrom('d', 'zz'));
/** A field with a value of its type (a number for numeric fields, a category for `c`), or now and then any pair. */
const fieldValue = mostly(
  fc.oneof(fc.tuple(numericField, number), fc.tuple(fc.constant('c'), category)),
  fc.tuple(fieldName, fc.oneof(number, category)),
);

const dictionary = `<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="n" optype="continuous" dataType="integer"/>
  <DataField name="c" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/><Value value="__proto__"/></DataField>
  <DataField name="__proto__" optype="continuous" dataType="double"/>
  <DataField name="yr" optype="continuous" dataType="double"/>
  <DataField name="yc" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/><Value value="__proto__"/></DataField>
</DataDictionary>`;

const { expression } = fc.letrec<{ expression: string }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fieldName.map((f) => `<FieldRef${attrs({ field: f })}/>`),
    fc
      .tuple(number, fc.constantFrom('double', 'integer', 'string', undefined))
      .map(([v, t]) => `<Constant${attrs({ dataType: t })}>${esc(v)}</Constant>`),
    fc
      .tuple(
        fc.constantFrom(
          '+',
          '-',
          '*',
          '/',
          'min',
          'max',
          'log',
          'exp',
          'sqrt',
          'abs',
          'if',
          'isMissing',
          'isIn',
          'concat',
          'equal',
          'lessThan',
          'and',
          'round',
          'substring',
          'noSuchFunction',
        ),
        fc.array(tie('expression'), { maxLength: 3 }),
        fc.option(number, { nil: undefined }),
      )
      .map(([fn, args, mapMissingTo]) => `<Apply${attrs({ function: fn, mapMissingTo })}>${args.join('')}</Apply>`),
    fc
      .tuple(
        fieldName,
        fc.array(fc.tuple(number, number), { maxLength: 3 }),
        fc.constantFrom('asIs', 'asMissingValues', 'asExtremeValues', 'bogus'),
      )
      .map(
        ([f, pts, outliers]) =>
          `<NormContinuous${attrs({ field: f, outliers })}>${pts.map(([o, n]) => `<LinearNorm${attrs({ orig: o, norm: n })}/>`).join('')}</NormContinuous>`,
      ),
    fc.tuple(mostly(fc.constant('c'), fieldName), category).map(([f, v]) => `<NormDiscrete${attrs({ field: f, value: v })}/>`),
    fc
      .tuple(numericField, fc.array(fc.tuple(category, number, number), { maxLength: 3 }), fc.option(category, { nil: undefined }))
      .map(
        ([f, bins, dflt]) =>
          `<Discretize${attrs({ field: f, defaultValue: dflt })}>${bins.map(([b, l, r]) => `<DiscretizeBin${attrs({ binValue: b })}><Interval${attrs({ closure: 'closedOpen', leftMargin: l, rightMargin: r })}/></DiscretizeBin>`).join('')}</Discretize>`,
      ),
    fc
      .tuple(mostly(fc.constant('c'), fieldName), fc.array(fc.tuple(category, category), { maxLength: 3 }))
      .map(
        ([f, rows]) =>
          `<MapValues outputColumn="out"><FieldColumnPair${attrs({ field: f, column: 'in' })}/><InlineTable>${rows.map(([i, o]) => `<row><in>${esc(i)}</in><out>${esc(o)}</out></row>`).join('')}</InlineTable></MapValues>`,
      ),
  ),
}));

const derived = fc
  .tuple(fc.constantFrom('double', 'integer', 'string', 'boolean'), fc.constantFrom('continuous', 'categorical'), expression)
  .map(([dataType, optype, e]) => `<DerivedField name="d"${attrs({ dataType, optype })}>${e}</DerivedField>`);

const { predicate } = fc.letrec<{ predicate: string }>((tie) => ({
  predicate: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    fc.constantFrom('<True/>', '<False/>'),
    fc
      .tuple(
        fieldValue,
        mostly(
          fc.constantFrom('equal', 'notEqual', 'lessThan', 'lessOrEqual', 'greaterThan', 'greaterOrEqual', 'isMissing', 'isNotMissing'),
          fc.constant('between'),
        ),
      )
      .map(
        ([[f, v], op]) =>
          `<SimplePredicate${attrs({ field: f, operator: op, value: op.startsWith('isN') || op === 'isMissing' ? undefined : v })}/>`,
      ),
    fc
      .tuple(
        mostly(fc.constant('c'), fieldName),
        mostly(fc.constantFrom('isIn', 'isNotIn'), fc.constant('maybe')),
        fc.array(category, { maxLength: 3 }),
      )
      .map(
        ([f, op, vs]) =>
          `<SimpleSetPredicate${attrs({ field: f, booleanOperator: op })}><Array type="string" n="${vs.length}">${vs.map((v) => `"${esc(v)}"`).join(' ')}</Array></SimpleSetPredicate>`,
      ),
    fc
      .tuple(
        mostly(fc.constantFrom('and', 'or', 'xor', 'surrogate'), fc.constant('nand')),
        fc.array(tie('predicate'), { minLength: 2, maxLength: 3 }),
      )
      .map(([op, ps]) => `<CompoundPredicate${attrs({ booleanOperator: op })}>${ps.join('')}</CompoundPredicate>`),
  ),
}));

type Fn = 'regression' | 'classification';

const miningSchema = (fn: Fn, extra: string): string =>
  `<MiningSchema><MiningField name="x"/><MiningField name="n"/><MiningField name="c"/><MiningField name="__proto__"/>${extra}<MiningField name="${fn === 'regression' ? 'yr' : 'yc'}" usageType="target"/></MiningSchema>`;

const regressionModel = (fn: Fn) =>
  fc
    .tuple(
      mostly(fc.constantFrom('none', 'softmax', 'logit', 'probit', 'cloglog', 'simplemax', 'exp', undefined), fc.constant('bogus')),
      fc.array(
        fc.tuple(
          fc.oneof(number, fc.constant(undefined)),
          mostly(category, fc.constant(undefined)),
          fc.array(fc.tuple(numericField, number, fc.option(number, { nil: undefined })), { maxLength: 3 }),
          fc.array(fc.tuple(fieldValue, number), { maxLength: 2 }),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    )
    .map(
      ([norm, tables]) =>
        `<RegressionModel${attrs({ functionName: fn, normalizationMethod: norm })}>${miningSchema(fn, '')}${tables
          .map(
            ([intercept, target, numeric, categorical]) =>
              `<RegressionTable${attrs({ intercept, targetCategory: fn === 'classification' ? target : undefined })}>${numeric
                .map(([f, k, e]) => `<NumericPredictor${attrs({ name: f, coefficient: k, exponent: e })}/>`)
                .join(
                  '',
                )}${categorical.map(([[f, v], k]) => `<CategoricalPredictor${attrs({ name: f, value: v, coefficient: k })}/>`).join('')}</RegressionTable>`,
          )
          .join('')}</RegressionModel>`,
    );

/** A score of the model's kind: a number for regression, a category for classification. */
const score = (fn: Fn) => (fn === 'regression' ? number : category);

const tree = (fn: Fn) =>
  fc.letrec<{ node: string }>((tie) => ({
    node: fc
      .tuple(
        predicate,
        fc.option(score(fn), { nil: undefined }),
        fn === 'classification' ? fc.array(fc.tuple(category, number), { maxLength: 2 }) : fc.constant([] as [string, string][]),
        fc.oneof({ depthSize: 'small', maxDepth: 4 }, fc.constant([] as string[]), fc.array(tie('node'), { minLength: 1, maxLength: 3 })),
      )
      .map(
        ([p, score, dist, children]) =>
          `<Node${attrs({ score })}>${p}${dist.map(([v, n]) => `<ScoreDistribution${attrs({ value: v, recordCount: n })}/>`).join('')}${children.join('')}</Node>`,
      ),
  })).node;

const treeModel = (fn: Fn) =>
  fc
    .tuple(
      mostly(
        fc.constantFrom('none', 'lastPrediction', 'nullPrediction', 'defaultChild', undefined),
        fc.constantFrom('weightedConfidence', 'aggregateNodes', 'bogus'),
      ),
      fc.constantFrom('returnNullPrediction', 'returnLastPrediction', undefined),
      fc.constantFrom('binarySplit', 'multiSplit', undefined),
      tree(fn),
    )
    .map(
      ([missing, noTrue, splits, root]) =>
        `<TreeModel${attrs({ functionName: fn, missingValueStrategy: missing, noTrueChildStrategy: noTrue, splitCharacteristic: splits })}>${miningSchema(fn, '')}${root}</TreeModel>`,
    );

const leafModel = (fn: Fn) => fc.oneof(regressionModel(fn), treeModel(fn));

const miningModel = (fn: Fn) =>
  fc
    .tuple(
      mostly(
        fc.constantFrom(
          'sum',
          'average',
          'weightedAverage',
          'median',
          'majorityVote',
          'weightedMajorityVote',
          'max',
          'modelChain',
          'selectFirst',
          'selectAll',
        ),
        fc.constant('bogus'),
      ),
      fc.array(fc.tuple(predicate, fc.option(number, { nil: undefined }), leafModel(fn)), { minLength: 1, maxLength: 3 }),
    )
    .map(
      ([method, segments]) =>
        `<MiningModel${attrs({ functionName: fn })}>${miningSchema(fn, '')}<Segmentation${attrs({ multipleModelMethod: method })}>${segments
          .map(([p, weight, m], i) => `<Segment${attrs({ id: String(i + 1), weight })}>${p}${m}</Segment>`)
          .join('')}</Segmentation></MiningModel>`,
    );

const output = fc
  .array(
    fc.tuple(
      mostly(fc.constantFrom('predictedValue', 'probability', 'transformedValue'), fc.constantFrom('entityId', 'decision', 'bogus')),
      category,
      mostly(expression, fc.constant(undefined)),
    ),
    { maxLength: 3 },
  )
  .map((fields) =>
    fields.length === 0
      ? ''
      : `<Output>${fields.map(([feature, value, e], i) => `<OutputField${attrs({ name: `o${i}`, feature, value: feature === 'probability' ? value : undefined })}>${feature === 'transformedValue' && e ? e : ''}</OutputField>`).join('')}</Output>`,
  );

/** A whole document: dictionary, optional derived field, one model with an optional Output. */
const documents = fc
  .tuple(fc.constantFrom<Fn>('regression', 'classification'), fc.boolean(), derived, output)
  .chain(([fn, withDerived, d, out]) =>
    fc.oneof(leafModel(fn), miningModel(fn)).map((model) => {
      // The Output goes right after the MiningSchema, where PMML puts it.
      const withOutput = model.replace('</MiningSchema>', `</MiningSchema>${out}`);
      return `<?xml version="1.0"?>
<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>${dictionary}${withDerived ? `<TransformationDictionary>${d}</TransformationDictionary>` : ''}
${withOutput}</PMML>`;
    }),
  );

const records = fc.array(
  fc.record(
    {
      x: fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constant(null), fc.constantFrom('1.5', 'NaN', 'abc')),
      n: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constant(null)),
      c: fc.oneof(category, fc.constant(null)),
      ['__proto__']: fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constant(null)),
    },
    { requiredKeys: [] },
  ),
  { minLength: 1, maxLength: 3 },
);

/**
 * A thrown value must be a TrajanError with a code (a string, or a number for the errors the lowered
 * document raises itself, as for an invalid value); a lowering defect (`pmml-lowering`) or an internal error is a
 * bug.
 */
function expectCoded(e: unknown, doc: string): TrajanError {
  if (!(e instanceof TrajanError) || !['string', 'number'].includes(typeof e.code))
    throw new Error(`not a coded error: ${String(e)}\n${doc}`, { cause: e });
  if (e.code === 'pmml-lowering' || e.code === 'internal-error')
    throw new Error(`a defect, not a verdict: ${e.message}\n${doc}`, { cause: e });
  return e;
}

describe('PMML lowering fuzz', () => {
  it('documents from the grammar load or fail with a coded error; loaded ones score and export', () => {
    const seen = { loaded: 0, rejected: 0, scored: 0, failedRows: 0 };
    fc.assert(
      fc.property(documents, records, (doc, rows) => {
        let model: ReturnType<typeof loadPmml>;
        try {
          model = loadPmml(doc, { allowExtraFields: true });
        } catch (e) {
          expectCoded(e, doc);
          seen.rejected++;
          return;
        }
        seen.loaded++;
        for (const row of rows) {
          // Rows built by fc.record define __proto__ as an own key, as JSON.parse would.
          try {
            model.score(row);
            seen.scored++;
          } catch (e) {
            expectCoded(e, doc);
            seen.failedRows++;
          }
        }
        // Every PMML model can be exported as portable PFA: the lowered document loads on its own.
        loadPfa(JSON.parse(JSON.stringify(model.pfa)) as object);
      }),
      { seed: 20261205, numRuns: 400 },
    );
    // The grammar is not vacuous: documents load and score, and others are refused.
    expect(seen.loaded).toBeGreaterThan(40);
    expect(seen.scored).toBeGreaterThan(40);
    expect(seen.rejected).toBeGreaterThan(40);
  });
});
