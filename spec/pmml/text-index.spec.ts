/**
 * TextIndex: term frequencies worked out by hand from the PMML definitions (tokens cut at
 * wordSeparatorCharacterRE with edge punctuation trimmed, or the matches of x-wordRE; windows of
 * term tokens matched with Levenshtein distances; normalization tables applied first).
 */
import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

/** A regression whose value is the TextIndex itself (coefficient 1, intercept 0). */
function model(textIndex: string): (text: string | null) => unknown {
  const pmml = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>
  <DataField name="text" optype="categorical" dataType="string"/>
  <DataField name="y" optype="continuous" dataType="double"/>
</DataDictionary>
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="text"/><MiningField name="y" usageType="target"/></MiningSchema>
  <LocalTransformations><DerivedField name="tf" optype="continuous" dataType="double">${textIndex}</DerivedField></LocalTransformations>
  <RegressionTable intercept="0"><NumericPredictor name="tf" coefficient="1"/></RegressionTable>
</RegressionModel></PMML>`;
  const m = loadPmml(pmml);
  return (text) => m.score({ text }).y;
}

const index = (attrs: string, term: string, normalization = '') =>
  `<TextIndex textField="text" ${attrs}>${normalization}<Constant dataType="string">${term}</Constant></TextIndex>`;

describe('TextIndex', () => {
  const text = 'The cat, the CAT. the dog!';

  it('counts a term among tokens cut at white space, edge punctuation trimmed, case ignored', () => {
    // tokens: the cat the cat the dog
    expect(model(index('', 'cat'))(text)).toBe(2);
    expect(model(index('', 'the cat'))(text)).toBe(2);
    expect(model(index('', 'bird'))(text)).toBe(0);
  });

  it('respects isCaseSensitive', () => {
    expect(model(index('isCaseSensitive="true"', 'CAT'))(text)).toBe(1);
    expect(model(index('isCaseSensitive="true"', 'cat'))(text)).toBe(1);
  });

  it('applies localTermWeights', () => {
    expect(model(index('localTermWeights="binary"', 'cat'))(text)).toBe(1);
    expect(model(index('localTermWeights="binary"', 'bird'))(text)).toBe(0);
    expect(model(index('localTermWeights="logarithmic"', 'cat'))(text)).toBeCloseTo(Math.log10(3), 15);
  });

  it('matches within maxLevenshteinDistance, all hits or the best ones', () => {
    // "cot" is one edit from "cat" (twice); "dog" is two edits away.
    expect(model(index('maxLevenshteinDistance="1"', 'cot'))(text)).toBe(2);
    // cat (0), cut (1), cat (0), bat (1): all four within 1, the two exact ones are the best.
    expect(model(index('maxLevenshteinDistance="1"', 'cat'))('cat cut cat bat')).toBe(4);
    expect(model(index('maxLevenshteinDistance="1" countHits="bestHits"', 'cat'))('cat cut cat bat')).toBe(2);
    // Distances add up over a two-token term: "cut bat" is two edits from "cat cat".
    expect(model(index('maxLevenshteinDistance="1"', 'cat cat'))('cut bat')).toBe(0);
    expect(model(index('maxLevenshteinDistance="2"', 'cat cat'))('cut bat')).toBe(1);
  });

  it('uses a custom wordSeparatorCharacterRE and x-wordRE', () => {
    expect(model(index('wordSeparatorCharacterRE="[;]"', 'b c'))('a;b c;b c')).toBe(2);
    // x-wordRE takes the matches as tokens: can t stop
    expect(model(index('x-wordRE="\\w+"', 't'))("can't stop")).toBe(1);
  });

  it('normalizes the text first, recursively when asked', () => {
    const table = (recursive: boolean) =>
      `<TextIndexNormalization recursive="${recursive}"><InlineTable><row><string>aa</string><stem>a</stem><regex>true</regex></row><row><string>colour</string><stem>color</stem></row></InlineTable></TextIndexNormalization>`;
    // baaad -> baad -> bad (recursive); one pass leaves baad.
    expect(model(index('', 'bad', table(true)))('baaad')).toBe(1);
    expect(model(index('', 'bad', table(false)))('baaad')).toBe(0);
    // A literal row ignores case like the index: "Colour" becomes "color".
    expect(model(index('', 'color', table(false)))('Colour me')).toBe(1);
  });

  it('is missing when the text is missing', () => {
    expect(model(index('', 'cat'))(null)).toBeNull();
  });

  it('reports what it cannot express at load', () => {
    expect(() => model(index('localTermWeights="augmentedNormalizedTermFrequency"', 'cat'))).toThrow(/not supported/);
    const groups = `<TextIndexNormalization><InlineTable><row><string>(a)</string><stem>$1$1</stem><regex>true</regex></row></InlineTable></TextIndexNormalization>`;
    expect(() => model(index('', 'cat', groups))).toThrow(/group references/);
  });
  it('counts several terms of one DefineFunction over changing texts alike on both backends (the tokens are cached per text)', () => {
    const terms = ['cat', 'the cat', 'dog', 'bird'];
    const pmml = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary><DataField name="text" optype="categorical" dataType="string"/><DataField name="y" optype="continuous" dataType="double"/></DataDictionary>
<TransformationDictionary><DefineFunction name="tf" optype="continuous" dataType="integer"><ParameterField name="doc"/><ParameterField name="term"/>
  <TextIndex textField="doc" x-wordRE="\\w+"><FieldRef field="term"/></TextIndex></DefineFunction></TransformationDictionary>
<RegressionModel functionName="regression">
  <MiningSchema><MiningField name="text"/><MiningField name="y" usageType="target"/></MiningSchema>
  <LocalTransformations>${terms.map((t, i) => `<DerivedField name="t${i}" optype="continuous" dataType="double"><Apply function="tf"><FieldRef field="text"/><Constant dataType="string">${t}</Constant></Apply></DerivedField>`).join('')}</LocalTransformations>
  <RegressionTable intercept="0">${terms.map((_, i) => `<NumericPredictor name="t${i}" coefficient="${10 ** i}"/>`).join('')}</RegressionTable>
</RegressionModel></PMML>`;
    const texts = ['The cat, the CAT. the dog!', 'The cat, the CAT. the dog!', 'a bird', null, 'the cat the cat the cat', 'a bird'];
    // Each count is a decimal digit of the score: cat (units), "the cat" (tens), dog, bird.
    const expected = [122, 122, 1000, null, 33, 1000];
    for (const backend of ['closures', 'specialized'] as const) {
      const m = loadPmml(pmml, { backend });
      expect(texts.map((text) => m.score({ text }).y)).toEqual(expected);
    }
  });
});
