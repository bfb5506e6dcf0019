/**
 * PMML `TextIndex`: how often a term occurs in a text field, weighted by `localTermWeights`.
 *
 * Each count is written where the TextIndex is (in a DefineFunction, once), from these parts:
 * - the text's tokens: the text through the TextIndexNormalization tables (`re.replaceall`, repeated until
 *   nothing changes when `recursive`), then cut into tokens: the matches of JPMML's `x-wordRE`
 *   when the document gives one, otherwise the pieces between `wordSeparatorCharacterRE` matches
 *   with leading and trailing punctuation trimmed and empty pieces dropped. Tokens are lower-cased
 *   when matching ignores case. The last text and its tokens are kept in two cells, because
 *   producers count every vocabulary term of one text in turn;
 * - the term's tokens: the term cut into tokens the same way, without normalization (kept in a map cell, as
 *   the same terms come back on every record);
 * - the term's occurrences: windows of term tokens sliding over the text tokens, where a window
 *   matches when the sum of its tokens' Levenshtein distances is at most `maxLevenshteinDistance`
 *   (`countHits="bestHits"` counts only the windows at the smallest distance).
 *
 * Regular expressions run on PFA's `re` engine (RE2 syntax, linear time). A regex replacement
 * that refers to groups (`$1`) and `augmentedNormalizedTermFrequency` (whose maximum frequency
 * PMML leaves open) are reported as unsupported.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, type Scope, lit } from './context.js';
import { local, type Pfa, type Ref } from './builder.js';
import { convertValue, expressionChild, type LowerExpression, type Lowered, whenPresent } from './lowered.js';

const STRINGS = { type: 'array', items: 'string' };
const TERM_CACHE_SIZE = 100_000;
/** Java's punctuation classes, trimmed from both ends of separator-cut tokens. */
const EDGE_PUNCTUATION = '^\\pP+|\\pP+$';

/** A literal-text pattern for RE2. */
function quoteRegex(s: string): string {
  return s.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/**
 * A producer's pattern in RE2 syntax: a leading `(?u)` (Python's and Java's Unicode flag, which
 * changes nothing RE2 does) is dropped; ignoring case is RE2's `(?i)`.
 */
function pattern(source: string, ignoreCase: boolean): string {
  const p = source.startsWith('(?u)') ? source.slice(4) : source;
  return ignoreCase ? `(?i)${p}` : p;
}

function flag(el: XmlElement, name: string, fallback: boolean): boolean {
  const v = el.attrs[name];
  return v === undefined ? fallback : v === 'true' || v === '1';
}

/** Statements turning the string `s` (a variable) into its normalized form. */
function normalization(ti: XmlElement, ctx: LowerContext, ignoreCase: boolean, s: Ref): Pfa[] {
  const out: Pfa[] = [];
  for (const n of childrenNamed(ti, 'TextIndexNormalization')) {
    const table = child(n, 'InlineTable');
    if (!table) {
      if (child(n, 'TableLocator')) ctx.unsupported(n, 'TextIndexNormalization with a TableLocator');
      continue;
    }
    const inField = n.attrs.inField ?? 'string';
    const outField = n.attrs.outField ?? 'stem';
    const regexField = n.attrs.regexField ?? 'regex';
    const caseless = !flag(n, 'isCaseSensitive', !ignoreCase);
    const steps = childrenNamed(table, 'row').map((row): Pfa => {
      const cell = (name: string) => row.children.find((c) => c.name === name)?.text;
      const from = cell(inField) ?? ctx.fail(row, 'pmml-invalid', `TextIndexNormalization row has no ${inField} cell`);
      const to = cell(outField) ?? ctx.fail(row, 'pmml-invalid', `TextIndexNormalization row has no ${outField} cell`);
      const isRegex = (cell(regexField) ?? '').trim().toLowerCase() === 'true';
      if (isRegex && /[$\\]/.test(to)) ctx.unsupported(row, 'a TextIndexNormalization replacement with group references');
      return { set: { [s]: { 're.replaceall': [s, lit.string(pattern(isRegex ? from : quoteRegex(from), caseless)), lit.string(to)] } } };
    });
    if (steps.length === 0) continue;
    if (flag(n, 'recursive', false)) {
      const before = ctx.symbol('before');
      // `until` sees only what is declared before the loop.
      out.push({ let: { [before]: s } }, { do: [{ set: { [before]: s } }, ...steps], until: { '==': [before, s] } });
    } else out.push(...steps);
  }
  return out;
}

/** The tokens of the string `s` (a variable), lower-cased when matching ignores case. */
function tokenize(ti: XmlElement, ctx: LowerContext, ignoreCase: boolean, s: Ref): Pfa {
  if (!flag(ti, 'tokenize', true)) ctx.unsupported(ti, 'TextIndex with tokenize="false"');
  const text = ignoreCase ? { 's.lower': [s] } : s;
  const wordRE = ti.attrs['x-wordRE'];
  if (wordRE !== undefined) return { 're.findall': [text, lit.string(pattern(wordRE, false))] };
  const separator = ti.attrs.wordSeparatorCharacterRE ?? '\\s+';
  const trimmed = {
    'a.map': [
      { 're.split': [text, lit.string(pattern(separator, false))] },
      { params: [{ t: 'string' }], ret: 'string', do: { 're.replaceall': [local('t'), lit.string(EDGE_PUNCTUATION), lit.string('')] } },
    ],
  };
  return { 'a.filter': [trimmed, { params: [{ t: 'string' }], ret: 'boolean', do: { '>': [{ 's.len': [local('t')] }, 0] } }] };
}

/** A user function: Levenshtein distance of two strings, by the two-row dynamic programme. */
function levenshtein(ctx: LowerContext): string {
  const name = 'pmml_levenshtein';
  if (ctx.fcns[name]) return name;
  ctx.fcns[name] = {
    params: [{ a: 'string' }, { b: 'string' }],
    ret: 'int',
    do: [
      { let: { n: { 's.len': [local('a')] }, m: { 's.len': [local('b')] } } },
      { let: { prev: { type: { type: 'array', items: 'int' }, value: [] } } },
      {
        for: { j: 0 },
        while: { '<=': [local('j'), local('m')] },
        step: { j: { '+': [local('j'), 1] } },
        do: [{ set: { prev: { 'a.append': [local('prev'), local('j')] } } }],
      },
      {
        for: { i: 1 },
        while: { '<=': [local('i'), local('n')] },
        step: { i: { '+': [local('i'), 1] } },
        do: [
          { let: { cur: { new: [local('i')], type: { type: 'array', items: 'int' } } } },
          { let: { ca: { 's.substr': [local('a'), { '-': [local('i'), 1] }, local('i')] } } },
          {
            for: { j: 1 },
            while: { '<=': [local('j'), local('m')] },
            step: { j: { '+': [local('j'), 1] } },
            do: [
              {
                let: {
                  cost: {
                    if: { '==': [local('ca'), { 's.substr': [local('b'), { '-': [local('j'), 1] }, local('j')] }] },
                    then: 0,
                    else: 1,
                  },
                },
              },
              {
                set: {
                  cur: {
                    'a.append': [
                      local('cur'),
                      {
                        min: [
                          {
                            min: [
                              { '+': [{ attr: local('prev'), path: [local('j')] }, 1] },
                              { '+': [{ attr: local('cur'), path: [{ '-': [local('j'), 1] }] }, 1] },
                            ],
                          },
                          { '+': [{ attr: local('prev'), path: [{ '-': [local('j'), 1] }] }, local('cost')] },
                        ],
                      },
                    ],
                  },
                },
              },
            ],
          },
          { set: { prev: local('cur') } },
        ],
      },
      { attr: local('prev'), path: [local('m')] },
    ],
  };
  return name;
}

/**
 * The term's occurrences: `a.count` of the term tokens as a subsequence when tokens must be equal
 * (every window then has distance 0, so allHits and bestHits agree); otherwise a user function
 * sliding the window with Levenshtein distances.
 */
function counter(ti: XmlElement, ctx: LowerContext): (text: Pfa, term: Pfa) => Pfa {
  const maxDistance = ctx.number(ti, 'maxLevenshteinDistance', 0);
  if (!Number.isInteger(maxDistance) || maxDistance < 0)
    ctx.fail(ti, 'pmml-bad-attribute', 'maxLevenshteinDistance must be a non-negative integer');
  const countHits = ti.attrs.countHits ?? 'allHits';
  if (countHits !== 'allHits' && countHits !== 'bestHits') ctx.fail(ti, 'pmml-bad-attribute', `unknown countHits ${countHits}`);
  if (maxDistance === 0) return (text, term) => ({ 'a.count': [text, term] });
  const name = ctx.symbol('textindex_count');
  const textToken = { attr: local('text'), path: [{ '+': [local('i'), local('j')] }] };
  const termToken = { attr: local('term'), path: [local('j')] };
  const hit: Pfa =
    countHits === 'allHits'
      ? { set: { count: { '+': [local('count'), 1] } } }
      : {
          cond: [
            { if: { '<': [local('distance'), local('best')] }, then: { set: { count: 1, best: local('distance') } } },
            { if: { '==': [local('distance'), local('best')] }, then: { set: { count: { '+': [local('count'), 1] } } } },
          ],
        };
  ctx.fcns[name] = {
    params: [{ text: STRINGS }, { term: STRINGS }],
    ret: 'int',
    do: [
      { let: { n: { 'a.len': [local('text')] }, m: { 'a.len': [local('term')] } } },
      { let: { count: 0, best: maxDistance + 1 } },
      {
        if: { '>': [local('m'), 0] },
        then: [
          {
            for: { i: 0 },
            while: { '<=': [local('i'), { '-': [local('n'), local('m')] }] },
            step: { i: { '+': [local('i'), 1] } },
            do: [
              { let: { ok: true, distance: 0 } },
              {
                for: { j: 0 },
                while: { '&&': [{ '<': [local('j'), local('m')] }, local('ok')] },
                step: { j: { '+': [local('j'), 1] } },
                do: [
                  { set: { distance: { '+': [local('distance'), { [`u.${levenshtein(ctx)}`]: [textToken, termToken] }] } } },
                  { if: { '>': [local('distance'), maxDistance] }, then: { set: { ok: false } } },
                ],
              },
              { if: local('ok'), then: [hit] },
            ],
          },
        ],
      },
      local('count'),
    ],
  };
  return (text, term) => ({ [`u.${name}`]: [text, term] });
}

/**
 * What the TextIndex's terms are counted with, made once per element: the cells its caches live in
 * and the counting function. The text's and the term's tokens are written inline where the count is
 * (not as user functions): producers count some hundred terms a record with one TextIndex, and a
 * user function call per term and per side cost more than the cached answers they return.
 */
interface TextIndexParts {
  readonly ignoreCase: boolean;
  readonly lastText: string;
  readonly lastTokens: string;
  readonly termCache: string;
  readonly count: (text: Pfa, term: Pfa) => Pfa;
}

const made = new WeakMap<LowerContext, Map<XmlElement, TextIndexParts>>();

function partsFor(ti: XmlElement, ctx: LowerContext): TextIndexParts {
  const byElement = made.get(ctx) ?? new Map<XmlElement, TextIndexParts>();
  made.set(ctx, byElement);
  const known = byElement.get(ti);
  if (known) return known;
  const ignoreCase = !flag(ti, 'isCaseSensitive', false);
  const cells = ctx.symbol('textindex');
  const parts = {
    ignoreCase,
    lastText: `${cells}_text`,
    lastTokens: `${cells}_tokens`,
    termCache: `${cells}_terms`,
    count: counter(ti, ctx),
  };
  ctx.cells[parts.lastText] = { type: ['null', 'string'], init: null };
  ctx.cells[parts.lastTokens] = { type: STRINGS, init: [] };
  // Terms are few and repeat on every record: their tokens are kept, up to TERM_CACHE_SIZE of them.
  ctx.cells[parts.termCache] = { type: { type: 'map', values: STRINGS }, init: {} };
  byElement.set(ti, parts);
  return parts;
}

/**
 * The tokens of `text` (a string variable) after normalization. The last text and its tokens are
 * kept in two cells, because producers count every vocabulary term of one text in turn.
 */
function textTokens(ti: XmlElement, p: TextIndexParts, text: Ref, ctx: LowerContext): Pfa {
  const s = ctx.symbol('s');
  return {
    if: { '==': [{ cell: p.lastText }, { upcast: text, as: ['null', 'string'] }] },
    then: { cell: p.lastTokens },
    else: [
      { let: { [s]: text } },
      ...normalization(ti, ctx, p.ignoreCase, s),
      { cell: p.lastText, to: { upcast: text, as: ['null', 'string'] } },
      { cell: p.lastTokens, to: tokenize(ti, ctx, p.ignoreCase, s) },
    ],
  };
}

/** The tokens of `term` (a string variable), without normalization, from the cache when known. */
function termTokens(ti: XmlElement, p: TextIndexParts, term: Ref, ctx: LowerContext): Pfa {
  const t = ctx.symbol('t');
  return {
    if: { 'map.containsKey': [{ cell: p.termCache }, term] },
    then: { attr: { cell: p.termCache }, path: [term] },
    else: [
      { let: { [t]: tokenize(ti, ctx, p.ignoreCase, term) } },
      {
        if: { '<': [{ 'map.len': [{ cell: p.termCache }] }, TERM_CACHE_SIZE] },
        then: [{ cell: p.termCache, to: { 'map.add': [{ cell: p.termCache }, term, t] } }],
      },
      t,
    ],
  };
}

export function lowerTextIndex(ti: XmlElement, ctx: LowerContext, scope: Scope, lowerExpression: LowerExpression): Lowered {
  const weights = ti.attrs.localTermWeights ?? 'termFrequency';
  const field = ctx.field(ti, scope, ctx.attr(ti, 'textField'));
  const termEl = expressionChild(ti) ?? ctx.fail(ti, 'pmml-invalid', 'TextIndex needs a term expression');
  const term = convertValue(lowerExpression(termEl, ctx, scope), 'string', ctx);
  const text = convertValue({ pfa: field.symbol, type: field.type }, 'string', ctx);
  const parts = partsFor(ti, ctx);
  if (weights !== 'termFrequency' && weights !== 'binary' && weights !== 'logarithmic')
    return ctx.unsupported(ti, `localTermWeights ${weights}`);
  const value = ([t, w]: Ref[]): Pfa => {
    const frequency = parts.count(textTokens(ti, parts, t!, ctx), termTokens(ti, parts, w!, ctx));
    if (weights === 'binary') return { if: { '>': [frequency, 0] }, then: 1.0, else: 0.0 };
    if (weights === 'logarithmic') return { 'm.log10': [{ '+': [1.0, frequency] }] };
    return { 'cast.double': [frequency] };
  };
  return { type: 'double', pfa: whenPresent([text, term], 'double', value, ctx) };
}
