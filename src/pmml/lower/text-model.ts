/**
 * TextModel: the input document (the model's one active field, a text) compared with every
 * document of the corpus; the most similar one is the prediction.
 *
 * - The DocumentTermMatrix holds the corpus's raw term frequencies f(d, t), one row per
 *   TextDocument, one column per TextDictionary term, both in document order.
 * - The input's frequencies are counted as a TextIndex counts them (text-index.ts, with its
 *   defaults: case ignored, tokens cut at white space with leading and trailing punctuation
 *   trimmed, exact matches; a term of several words matches consecutive tokens).
 * - TextModelNormalization weighs corpus and input alike: weight = local(f) * global(t), then, with
 *   documentNormalization="cosine", each vector divided by its Euclidean norm. Local weights:
 *   termFrequency f; binary 1 when f > 0; logarithmic log10(1 + f) (as TextIndex); augmented
 *   normalized term frequency (1 + f / max f) / 2 when f > 0 (max over the document's terms),
 *   else 0. Global weights, from the corpus of N documents, n(t) of which contain the term and
 *   F(t) its total frequency: none 1; inverseDocumentFrequency log10(N / n); GFIDF F / n; normal
 *   1 / sqrt(sum over documents of f^2); probabilisticInverse log10((N - n) / n). A term no corpus
 *   document contains (or, for probabilisticInverse, that all contain) weighs 0. The logarithms'
 *   base only scales every weight alike, so it never changes the predicted document.
 * - TextModelSimiliarity (the schema's spelling; TextModelSimilarity is read too): cosine (the
 *   default) gives the cosine of the angle between the vectors, 0 with an empty corpus document,
 *   and no prediction for an input without any dictionary term; euclidean the distance. The most
 *   similar (closest) document wins, the first one on a tie.
 *
 * Results: the winning document's id is the predicted value and the entityId, its name (when it
 * has one) the predictedDisplayValue; `affinity` with a document id as `value` gives that
 * document's similarity or distance. A missing input text predicts nothing.
 *
 * A Taxonomy in the TextDictionary is reported as unsupported: PMML does not say how the term
 * hierarchy takes part in scoring.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, NULL_RESULT, result } from './context.js';
// builder.ts's `local` is `named` here: `local` names the local weighting of a TextModel.
import { local as named, shared, type Pfa, type Ref } from './builder.js';
import { numberArray, isNumberArray } from './arrays.js';
import { parseArray } from './predicate.js';
import { lowerExpression } from './expression.js';
import { lowerTextIndex } from './text-index.js';
import type { FamilyLowering } from './family.js';

const DOUBLES = { type: 'array', items: 'double' };
const STRINGS = { type: 'array', items: 'string' };
const ZERO = shared({ double: 0 });
/** The field the synthesised TextIndex's term refers to; it lives in a scope of its own, so no document field can clash. */
const TERM = '\u0000term';

type Local = 'termFrequency' | 'binary' | 'logarithmic' | 'augmentedNormalizedTermFrequency';
type Global = 'none' | 'inverseDocumentFrequency' | 'GFIDF' | 'normal' | 'probabilisticInverse';
const LOCALS = new Set<string>(['termFrequency', 'binary', 'logarithmic', 'augmentedNormalizedTermFrequency']);
const GLOBALS = new Set<string>(['none', 'inverseDocumentFrequency', 'GFIDF', 'normal', 'probabilisticInverse']);

/** The document-term matrix, dense: rows (documents) of columns (terms). */
function matrix(el: XmlElement, rows: number, cols: number, ctx: LowerContext): number[][] {
  const kind = el.attrs.kind ?? 'any';
  if (kind !== 'any') ctx.unsupported(el, `a document-term Matrix of kind ${kind}`);
  const cells = childrenNamed(el, 'MatCell');
  if (cells.length === 0) {
    const m = el.children.filter(isNumberArray).map((a) => numberArray(a, ctx));
    if (m.length !== rows || m.some((r) => r.length !== cols))
      ctx.fail(el, 'pmml-invalid', `the DocumentTermMatrix is not ${rows} documents x ${cols} terms`);
    return m;
  }
  if (
    (el.attrs.nbRows !== undefined && ctx.number(el, 'nbRows') !== rows) ||
    (el.attrs.nbCols !== undefined && ctx.number(el, 'nbCols') !== cols)
  ) {
    ctx.fail(el, 'pmml-invalid', `the DocumentTermMatrix is not ${rows} documents x ${cols} terms`);
  }
  const diag = ctx.number(el, 'diagDefault', 0);
  const off = ctx.number(el, 'offDiagDefault', 0);
  const m = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === j ? diag : off)));
  for (const c of cells) {
    const [i, j] = [ctx.number(c, 'row'), ctx.number(c, 'col')];
    if (!Number.isInteger(i) || !Number.isInteger(j) || i < 1 || i > rows || j < 1 || j > cols)
      ctx.fail(c, 'pmml-invalid', `MatCell (${i}, ${j}) is outside the ${rows} x ${cols} matrix`);
    const x = Number(c.text.trim());
    if (c.text.trim() === '' || Number.isNaN(x)) ctx.fail(c, 'pmml-bad-value', `not a number: ${JSON.stringify(c.text)}`);
    m[i - 1]![j - 1] = x;
  }
  return m;
}

function localWeight(kind: Local, f: number, max: number): number {
  switch (kind) {
    case 'termFrequency':
      return f;
    case 'binary':
      return f > 0 ? 1 : 0;
    case 'logarithmic':
      return Math.log10(1 + f);
    case 'augmentedNormalizedTermFrequency':
      return f > 0 ? 0.5 * (1 + f / max) : 0;
  }
}

/** The local weight of a count `c` (a double expression), `max` the document's largest count. */
function localWeightPfa(kind: Local, c: Pfa, max: Ref): Pfa {
  switch (kind) {
    case 'termFrequency':
      return c;
    case 'binary':
      return { if: { '>': [c, 0] }, then: { double: 1 }, else: ZERO };
    case 'logarithmic':
      return { 'm.log10': [{ '+': [1, c] }] };
    case 'augmentedNormalizedTermFrequency':
      return { if: { '>': [c, 0] }, then: { '*': [0.5, { '+': [1, { '/': [c, max] }] }] }, else: ZERO };
  }
}

function globalWeights(kind: Global, f: readonly (readonly number[])[], terms: number): number[] {
  const docs = f.length;
  return Array.from({ length: terms }, (_, t) => {
    const column = f.map((row) => row[t]!);
    const n = column.filter((x) => x > 0).length;
    const total = column.reduce((s, x) => s + x, 0);
    switch (kind) {
      case 'none':
        return 1;
      case 'inverseDocumentFrequency':
        return n === 0 ? 0 : Math.log10(docs / n);
      case 'GFIDF':
        return n === 0 ? 0 : total / n;
      case 'normal': {
        const norm = Math.sqrt(column.reduce((s, x) => s + x * x, 0));
        return norm === 0 ? 0 : 1 / norm;
      }
      case 'probabilisticInverse':
        return n === 0 || n === docs ? 0 : Math.log10((docs - n) / n);
      default:
        return kind satisfies never;
    }
  });
}

const norm = (v: readonly number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

export const lowerTextModel: FamilyLowering = (model, ctx, scope) => {
  const dictionary = child(model, 'TextDictionary') ?? ctx.fail(model, 'pmml-invalid', 'TextModel has no TextDictionary');
  const taxonomy = child(dictionary, 'Taxonomy');
  if (taxonomy) ctx.unsupported(taxonomy, 'a TextDictionary Taxonomy');
  const termArray =
    dictionary.children.find((c) => c.name === 'Array') ?? ctx.fail(dictionary, 'pmml-invalid', 'TextDictionary has no Array of terms');
  const terms = parseArray(termArray.text);
  if (terms.length === 0) ctx.fail(termArray, 'pmml-invalid', 'the TextDictionary has no terms');
  if (model.attrs.numberOfTerms !== undefined && ctx.number(model, 'numberOfTerms') !== terms.length)
    ctx.fail(model, 'pmml-invalid', `numberOfTerms is ${model.attrs.numberOfTerms} but the TextDictionary holds ${terms.length} terms`);

  const corpus = child(model, 'TextCorpus') ?? ctx.fail(model, 'pmml-invalid', 'TextModel has no TextCorpus');
  const documents = childrenNamed(corpus, 'TextDocument');
  if (documents.length === 0) ctx.fail(corpus, 'pmml-invalid', 'the TextCorpus has no documents');
  if (model.attrs.numberOfDocuments !== undefined && ctx.number(model, 'numberOfDocuments') !== documents.length)
    ctx.fail(
      model,
      'pmml-invalid',
      `numberOfDocuments is ${model.attrs.numberOfDocuments} but the TextCorpus holds ${documents.length} documents`,
    );
  const ids = documents.map((d) => ctx.attr(d, 'id'));
  if (new Set(ids).size !== ids.length) ctx.fail(corpus, 'pmml-invalid', 'two TextDocuments have the same id');
  const names = documents.flatMap((d, i) => (d.attrs.name !== undefined ? [[ids[i]!, d.attrs.name] as const] : []));
  if (names.length) ctx.displayValues.set(model, new Map(names));

  const dtm = child(model, 'DocumentTermMatrix') ?? ctx.fail(model, 'pmml-invalid', 'TextModel has no DocumentTermMatrix');
  const f = matrix(
    child(dtm, 'Matrix') ?? ctx.fail(dtm, 'pmml-invalid', 'DocumentTermMatrix has no Matrix'),
    documents.length,
    terms.length,
    ctx,
  );

  const normalization = child(model, 'TextModelNormalization');
  const local = (normalization?.attrs.localTermWeights ?? 'termFrequency') as Local;
  const global = (normalization?.attrs.globalTermWeights ?? 'inverseDocumentFrequency') as Global;
  const cosineDocuments = (normalization?.attrs.documentNormalization ?? 'none') === 'cosine';
  if (!LOCALS.has(local)) ctx.fail(normalization!, 'pmml-bad-attribute', `unknown localTermWeights ${local}`);
  if (!GLOBALS.has(global)) ctx.fail(normalization!, 'pmml-bad-attribute', `unknown globalTermWeights ${global}`);
  if (!['none', 'cosine'].includes(normalization?.attrs.documentNormalization ?? 'none'))
    ctx.fail(normalization!, 'pmml-bad-attribute', `unknown documentNormalization ${normalization!.attrs.documentNormalization}`);
  const similarityEl = child(model, 'TextModelSimiliarity') ?? child(model, 'TextModelSimilarity');
  const similarity = similarityEl?.attrs.similarityType ?? 'cosine';
  if (similarity !== 'cosine' && similarity !== 'euclidean')
    ctx.fail(similarityEl!, 'pmml-bad-attribute', `unknown similarityType ${similarity}`);

  // The corpus, weighted and normalised once, at load.
  const g = globalWeights(global, f, terms.length);
  const corpusVectors = f.map((row) => {
    const max = row.reduce((a, b) => Math.max(a, b), -Infinity);
    const v = row.map((x, t) => localWeight(local, x, max) * g[t]!);
    const n = norm(v);
    return cosineDocuments && n > 0 ? v.map((x) => x / n) : v;
  });
  const [termsCell, globalCell, corpusCell, normsCell] = [
    ctx.symbol('text_terms'),
    ctx.symbol('text_global'),
    ctx.symbol('text_corpus'),
    ctx.symbol('text_norms'),
  ];
  ctx.cells[termsCell] = { type: STRINGS, init: terms };
  ctx.cells[globalCell] = { type: DOUBLES, init: g };
  ctx.cells[corpusCell] = { type: { type: 'array', items: DOUBLES }, init: corpusVectors };
  ctx.cells[normsCell] = { type: DOUBLES, init: corpusVectors.map(norm) };

  // The document: the one active field.
  const schema = child(model, 'MiningSchema')!;
  const active = childrenNamed(schema, 'MiningField').filter((m) => (m.attrs.usageType ?? 'active') === 'active');
  if (active.length !== 1) ctx.unsupported(schema, `a TextModel with ${active.length} active fields (its input is one text field)`);
  const textField = ctx.field(active[0]!, scope, ctx.attr(active[0]!, 'name'));

  // Counting one term in the text: a TextIndex over the text field whose term is a field of its own scope.
  const termScope = scope.child();
  const term = ctx.symbol('term');
  termScope.define({ name: TERM, symbol: term, type: 'string', dataType: 'string', optype: 'categorical' });
  const at = model.location;
  const index: XmlElement = {
    name: 'TextIndex',
    attrs: { textField: textField.name },
    children: [{ name: 'FieldRef', attrs: { field: TERM }, children: [], text: '', location: at }],
    text: '',
    location: at,
  };
  const count = lowerTextIndex(index, ctx, termScope, lowerExpression).pfa;

  const [i, k, c, x, counts, max, q, qn, sims, text] = ['i', 'k', 'c', 'x', 'counts', 'max', 'q', 'qn', 'sims', 'text'].map((s) =>
    ctx.symbol(s),
  ) as [Ref, Ref, Ref, Ref, Ref, Ref, Ref, Ref, Ref, Ref];
  const row = { cell: corpusCell, path: [k] };
  const pairwise = (body: Pfa): Pfa => ({
    'a.sum': [{ 'a.zipmap': [q, row, { params: [{ x: 'double' }, { y: 'double' }], ret: 'double', do: body }] }],
  });
  const measure =
    similarity === 'cosine'
      ? {
          if: { '>': [{ cell: normsCell, path: [k] }, 0] },
          then: { '/': [pairwise({ '*': [named('x'), named('y')] }), { '*': [qn, { cell: normsCell, path: [k] }] }] },
          else: ZERO,
        }
      : { 'm.sqrt': [pairwise({ '*': [{ '-': [named('x'), named('y')] }, { '-': [named('x'), named('y')] }] })] };
  const best = ctx.symbol('best');
  const weighing: Pfa[] = [
    { let: { [counts]: { type: DOUBLES, value: [] } } },
    {
      for: { [i]: 0 },
      while: { '<': [i, terms.length] },
      step: { [i]: { '+': [i, 1] } },
      do: [
        { let: { [term]: { upcast: { cell: termsCell, path: [i] }, as: ['null', 'string'] } } },
        { let: { [c]: count } },
        { set: { [counts]: { 'a.append': [counts, { ifnotnull: { [x]: c }, then: x, else: ZERO }] } } },
      ],
    },
    ...(local === 'augmentedNormalizedTermFrequency' ? [{ let: { [max]: { 'a.max': [counts] } } }] : []),
    { let: { [q]: { type: DOUBLES, value: [] } } },
    {
      for: { [i]: 0 },
      while: { '<': [i, terms.length] },
      step: { [i]: { '+': [i, 1] } },
      do: [
        {
          set: {
            [q]: { 'a.append': [q, { '*': [localWeightPfa(local, { attr: counts, path: [i] }, max), { cell: globalCell, path: [i] }] }] },
          },
        },
      ],
    },
    {
      let: {
        [qn]: {
          'm.sqrt': [{ 'a.sum': [{ 'a.map': [q, { params: [{ x: 'double' }], ret: 'double', do: { '*': [named('x'), named('x')] } }] }] }],
        },
      },
    },
    ...(cosineDocuments
      ? [{ if: { '>': [qn, 0] }, then: [{ set: { [q]: { 'la.scale': [q, { '/': [1, qn] }] } } }, { set: { [qn]: { double: 1 } } }] }]
      : []),
  ];
  const scoring: Pfa[] = [
    { let: { [sims]: { type: DOUBLES, value: [] } } },
    {
      for: { [k]: 0 },
      while: { '<': [k, ids.length] },
      step: { [k]: { '+': [k, 1] } },
      do: [{ set: { [sims]: { 'a.append': [sims, measure] } } }],
    },
    { let: { [best]: { attr: { type: STRINGS, value: ids }, path: [{ [similarity === 'cosine' ? 'a.argmax' : 'a.argmin']: [sims] }] } } },
    result({
      label: { upcast: best, as: ['null', 'string'] },
      entity: { upcast: best, as: ['null', 'string'] },
      affinities: { new: Object.fromEntries(ids.map((id, n) => [id, { attr: sims, path: [n] }])), type: { type: 'map', values: 'double' } },
    }),
  ];
  // An input without dictionary terms has no direction: its cosine with anything is undefined.
  const guarded = [...weighing, ...(similarity === 'cosine' ? [{ if: { '>': [qn, 0] }, then: scoring, else: NULL_RESULT }] : scoring)];
  return [{ ifnotnull: { [text]: textField.symbol }, then: guarded, else: NULL_RESULT }];
};
