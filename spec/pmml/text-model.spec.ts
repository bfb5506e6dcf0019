import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';
import { loadPfa } from '../../src/pfa/load.js';
import type { TrajanError } from '../../src/errors.js';

/**
 * Terms: apple, banana, "cherry pie"; raw frequencies
 *   d1 (fruit):   2 1 0
 *   d2 (dessert): 0 1 1
 *   d3:           1 0 0
 */
const DENSE =
  '<Matrix nbRows="3" nbCols="3"><Array type="real">2 1 0</Array><Array type="real">0 1 1</Array><Array type="real">1 0 0</Array></Matrix>';
const SPARSE =
  '<Matrix nbRows="3" nbCols="3" diagDefault="0" offDiagDefault="0"><MatCell row="1" col="1">2</MatCell><MatCell row="1" col="2">1</MatCell><MatCell row="2" col="2">1</MatCell><MatCell row="2" col="3">1</MatCell><MatCell row="3" col="1">1</MatCell></Matrix>';

function document(
  normalization: string,
  similarity: string,
  matrix = DENSE,
  dictionary = '<Array n="3" type="string">apple banana "cherry pie"</Array>',
): string {
  return `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary><DataField name="text" optype="categorical" dataType="string"/><DataField name="doc" optype="categorical" dataType="string"/></DataDictionary>
<TextModel functionName="classification" numberOfTerms="3" numberOfDocuments="3">
  <MiningSchema><MiningField name="text"/><MiningField name="doc" usageType="predicted"/></MiningSchema>
  <Output>
    <OutputField name="best" feature="predictedValue"/>
    <OutputField name="bestName" feature="predictedDisplayValue"/>
    <OutputField name="id" feature="entityId"/>
    <OutputField name="s1" feature="affinity" value="d1"/>
    <OutputField name="s2" feature="affinity" value="d2"/>
    <OutputField name="s3" feature="affinity" value="d3"/>
  </Output>
  <TextDictionary>${dictionary}</TextDictionary>
  <TextCorpus><TextDocument id="d1" name="fruit"/><TextDocument id="d2" name="dessert"/><TextDocument id="d3"/></TextCorpus>
  <DocumentTermMatrix>${matrix}</DocumentTermMatrix>
  ${normalization}
  ${similarity}
</TextModel></PMML>`;
}

const a = Math.log10(3 / 2);
const b = Math.log10(3);

describe('TextModel', () => {
  // Defaults: termFrequency, inverseDocumentFrequency, no document normalization, cosine.
  const m = loadPmml(document('', ''));

  it('weighs by tf-idf and predicts the document of highest cosine', () => {
    // idf: apple and banana in 2 of 3 documents: a = log10(3/2); cherry pie in 1: b = log10(3).
    // D1 = [2a, a, 0], D2 = [0, a, b], D3 = [a, 0, 0].
    // "Apple pie? Cherry pie!" -> apple, pie, cherry, pie: apple 1, cherry pie 1, so q = [a, 0, b].
    const r = m.score({ text: 'Apple pie? Cherry pie!' });
    const q = Math.sqrt(a * a + b * b);
    expect(r.s1).toBeCloseTo((2 * a * a) / (q * a * Math.sqrt(5)), 14);
    expect(r.s2).toBeCloseTo((b * b) / (q * q), 14);
    expect(r.s3).toBeCloseTo(a / q, 14);
    // 0.3097, 0.8801, 0.3462: d2.
    expect(r.best).toBe('d2');
    expect(r.id).toBe('d2');
    expect(r.bestName).toBe('dessert');
  });

  it('predicts nothing for a missing text, or one without any dictionary term (no cosine)', () => {
    expect(m.score({}).best).toBeNull();
    const r = m.score({ text: 'grape' });
    expect(r.best).toBeNull();
    expect(r.s1).toBeNull();
  });

  it('reads a sparse matrix of MatCells alike', () => {
    const sparse = loadPmml(document('', '', SPARSE));
    const text = 'Apple pie? Cherry pie!';
    expect(sparse.score({ text })).toEqual(m.score({ text }));
  });

  it('converts to PFA that loads on its own', () => {
    expect(loadPfa(JSON.parse(JSON.stringify(m.pfa)) as object)).toBeDefined();
  });
});

describe('TextModel normalizations', () => {
  it('binary local weights, cosine document normalization, euclidean distance; ties go to the first document', () => {
    // D1 = [1, 1, 0] / sqrt 2, D2 = [0, 1, 1] / sqrt 2, D3 = [1, 0, 0]; "banana" -> q = [0, 1, 0].
    // |q - D1| = |q - D2| = sqrt(1/2 + (1 - 1/sqrt 2)^2) = sqrt(2 - sqrt 2); |q - D3| = sqrt 2.
    const m = loadPmml(
      document(
        '<TextModelNormalization localTermWeights="binary" globalTermWeights="none" documentNormalization="cosine"/>',
        '<TextModelSimiliarity similarityType="euclidean"/>',
      ),
    );
    const r = m.score({ text: 'banana banana' });
    expect(r.s1).toBeCloseTo(Math.sqrt(2 - Math.SQRT2), 14);
    expect(r.s2).toBeCloseTo(Math.sqrt(2 - Math.SQRT2), 14);
    expect(r.s3).toBeCloseTo(Math.SQRT2, 14);
    expect(r.best).toBe('d1');
    // Under euclidean, a text without terms is the zero vector, at distance 1 from each normalized document: d1 first.
    const none = m.score({ text: 'grape' });
    expect([none.s1, none.s2, none.s3]).toEqual([1, 1, 1].map((x) => expect.closeTo(x, 15)));
    expect(none.best).toBe('d1');
  });

  it('augmented normalized term frequency', () => {
    // (1 + f / max f) / 2 for f > 0: D1 (max 2) = [1, 3/4, 0], D2 = [0, 1, 1], D3 = [1, 0, 0].
    // "apple apple apple banana": counts [3, 1, 0], max 3: q = [1, 2/3, 0].
    const m = loadPmml(
      document(
        '<TextModelNormalization localTermWeights="augmentedNormalizedTermFrequency" globalTermWeights="none"/>',
        '<TextModelSimilarity similarityType="euclidean"/>',
      ),
    );
    const r = m.score({ text: 'apple apple apple banana' });
    expect(r.s1).toBeCloseTo(1 / 12, 14);
    expect(r.s2).toBeCloseTo(Math.sqrt(19 / 9), 14);
    expect(r.s3).toBeCloseTo(2 / 3, 14);
    expect(r.best).toBe('d1');
  });

  it('logarithmic local weights and GFIDF global weights', () => {
    // GFIDF = total frequency / documents containing: apple 3/2, banana 2/2, cherry pie 1/1.
    // log10(1 + f): D1 = [1.5 log10 3, log10 2, 0], D2 = [0, log10 2, log10 2], D3 = [1.5 log10 2, 0, 0].
    // "cherry pie" -> q = [0, 0, log10 2].
    const m = loadPmml(
      document(
        '<TextModelNormalization localTermWeights="logarithmic" globalTermWeights="GFIDF"/>',
        '<TextModelSimiliarity similarityType="euclidean"/>',
      ),
    );
    const r = m.score({ text: 'cherry pie' });
    const l2 = Math.log10(2);
    expect(r.s2).toBeCloseTo(l2, 14);
    expect(r.s1).toBeCloseTo(Math.sqrt((1.5 * b) ** 2 + l2 ** 2 + l2 ** 2), 14);
    expect(r.s3).toBeCloseTo(Math.sqrt((1.5 * l2) ** 2 + l2 ** 2), 14);
    expect(r.best).toBe('d2');
  });

  it('normal global weights', () => {
    // 1 / sqrt(sum f^2) per term: apple 1/sqrt 5, banana 1/sqrt 2, cherry pie 1.
    // "banana" -> q = [0, 1/sqrt 2, 0]; D1 = [2/sqrt 5, 1/sqrt 2, 0]:
    // cos = (1/2) / (sqrt(1/2) sqrt(4/5 + 1/2)) = sqrt(5/13); D2 = [0, 1/sqrt 2, 1]: cos = (1/2) / (sqrt(1/2) sqrt(3/2)) = 1/sqrt 3.
    const m = loadPmml(document('<TextModelNormalization globalTermWeights="normal"/>', '<TextModelSimiliarity similarityType="cosine"/>'));
    const r = m.score({ text: 'banana' });
    expect(r.s1).toBeCloseTo(Math.sqrt(5 / 13), 14);
    expect(r.s2).toBeCloseTo(1 / Math.sqrt(3), 14);
    expect(r.s3).toBe(0);
    expect(r.best).toBe('d1');
  });

  it('probabilistic inverse global weights', () => {
    // log10((N - n) / n): apple and banana log10(1/2), cherry pie log10 2.
    // "apple" -> q = [-l2, 0, 0]; D3 = [-l2, 0, 0]: cosine 1.
    const m = loadPmml(document('<TextModelNormalization globalTermWeights="probabilisticInverse"/>', ''));
    const r = m.score({ text: 'apple' });
    expect(r.s3).toBeCloseTo(1, 15);
    // D1 = [-2 l2, -l2, 0]: cos = 2 l2^2 / (l2 * l2 sqrt 5) = 2 / sqrt 5.
    expect(r.s1).toBeCloseTo(2 / Math.sqrt(5), 14);
    expect(r.best).toBe('d3');
  });
});

function loadError(xml: string): TrajanError {
  try {
    loadPmml(xml);
  } catch (e) {
    return e as TrajanError;
  }
  throw new Error('the document loaded');
}

describe('TextModel: what is reported at load', () => {
  it('a Taxonomy', () => {
    const e = loadError(
      document(
        '',
        '',
        DENSE,
        '<Taxonomy name="t"><ChildParent childField="c" parentField="p"><InlineTable/></ChildParent></Taxonomy><Array n="3" type="string">apple banana "cherry pie"</Array>',
      ),
    );
    expect(e.code).toBe('pmml-unsupported');
    expect(e.location?.pointer).toBe('/PMML/TextModel/TextDictionary/Taxonomy');
  });

  it('a matrix of the wrong shape', () => {
    const e = loadError(document('', '', '<Matrix><Array type="real">2 1 0</Array><Array type="real">0 1 1</Array></Matrix>'));
    expect(e.code).toBe('pmml-invalid');
  });
});
