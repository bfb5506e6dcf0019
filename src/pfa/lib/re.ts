/**
 * PFA namespace `re`: regular expressions over strings and bytes.
 *
 * Dialect. Patterns are compiled by re2js, a linear-time RE2 engine, so no pattern without
 * backreferences can make matching take more than linear time. The specification asks for POSIX
 * extended regular expressions (the reference engine uses the C library's `regcomp`); RE2 accepts all
 * of POSIX ERE (alternation, grouping, `* + ? {m,n}`, bracket expressions with `[:alpha:]`-style
 * classes, anchors) plus Perl extensions (`\d \w \s \b`, non-capturing groups, lazy quantifiers),
 * and is run with POSIX semantics: the leftmost-longest match, `.` matching newlines.
 *
 * Backreferences (`\1` to `\9`, outside bracket expressions) cannot be matched in linear time: a
 * pattern with one runs on a backtracking matcher over the program re2js compiles for it
 * (`_regex/`), with the same semantics, whose steps count against the call's step budget (and a
 * hard cap of its own); a backreference to a group the pattern does not have is a bad pattern. A
 * backreference matches the referenced group's text exactly (also under `(?i)`), and fails when that
 * group has not matched.
 *
 * Matching follows the reference engine: successive matches are searched in the rest of the haystack
 * after the previous match, as a new string (so `^` matches there too); nothing matches at or after
 * the end of the haystack (not even an empty pattern); an empty match moves the search on by one
 * character rather than looping forever. Group lists hold only the groups that took part in the match,
 * group 0 (the whole match) first. Replacements are literal.
 *
 * Strings are matched as text and indexes count code points (as everywhere in PFA); bytes are matched
 * byte by byte (each byte as the character U+0000-U+00FF) and indexes count bytes.
 */
import type { RE2JS } from 're2js';
import { bytesToLatin1 } from '../../avro/json.js';
import { re2js } from '../../lazy-modules.js';
import { runtimeError } from '../../errors.js';
import { backtrackSearch, StepCounter } from './_regex/backtrack.js';
import { compileBackrefs, rewriteBackrefs, type BackrefPattern } from './_regex/backrefs.js';
import { codePointIndex } from './_code-points.js';
import { defineLibrary, type EngineContext, type FnDef, type Impl } from './define.js';

/**
 * re2js's `LONGEST_MATCH | DOTALL`, written out so that importing the library does not load re2js
 * (it is loaded when a document calling a regex function is compiled); a spec checks the values.
 */
export const RE_FLAGS = 16 | 2;
const CACHE_SIZE = 64;

/** A compiled pattern: on re2js, or (with backreferences) for the backtracking matcher. */
type Compiled = { readonly re2: RE2JS } | { readonly backrefs: BackrefPattern };

/** Compiled patterns by pattern text, least recently used first; `null` marks a bad pattern. */
const cache = new Map<string, Compiled | null>();

function compileUncached(pattern: string): Compiled | null {
  try {
    const rewritten = rewriteBackrefs(pattern);
    return rewritten === null ? { re2: re2js().RE2JS.compile(pattern, RE_FLAGS) } : { backrefs: compileBackrefs(rewritten, RE_FLAGS) };
  } catch {
    return null;
  }
}

function compile(pattern: string, code: number, fcnName: string): Compiled {
  let re = cache.get(pattern);
  if (re === undefined) {
    re = compileUncached(pattern);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  } else {
    cache.delete(pattern); // re-inserted below as the most recently used
  }
  cache.set(pattern, re);
  if (re === null) throw runtimeError(code, 'bad pattern', fcnName);
  return re;
}

/** One match: [start, end) UTF-16 offsets of each participating group, group 0 first. */
type Match = [number, number][];

/** The first match in `text`, offsets relative to `text`. */
type Finder = (text: string) => Match | undefined;

function re2Finder(re: RE2JS): Finder {
  return (text) => {
    const m = re.matcher(text);
    if (!m.find(0)) return undefined;
    const groups: Match = [];
    for (let g = 0; g <= m.groupCount(); g++) {
      if (m.start(g) >= 0) groups.push([m.start(g), m.end(g)]);
    }
    return groups;
  };
}

function backtrackFinder({ prog, groups }: BackrefPattern, ctx: EngineContext): Finder {
  const steps = new StepCounter(ctx); // one per library call: the hard cap bounds the whole call
  return (text) => {
    const slots = backtrackSearch(prog, text, steps);
    if (!slots) return undefined;
    const out: Match = [];
    for (const g of groups) if (slots[2 * g]! >= 0) out.push([slots[2 * g]!, slots[2 * g + 1]!]);
    return out;
  };
}

/** The successive matches in `text`, as the reference engine finds them (see the top). */
function* matches(find: Finder, text: string): Generator<Match> {
  let start = 0;
  while (start < text.length) {
    const m = find(text.slice(start));
    if (!m) return;
    const groups: Match = m.map(([b, e]) => [start + b, start + e]);
    yield groups;
    const [b, e] = groups[0]!;
    start = e > b ? e : e + (text.codePointAt(e)! > 0xffff ? 2 : 1);
  }
}

function first<T>(it: Iterable<T>): T | undefined {
  for (const x of it) return x;
  return undefined;
}

function last<T>(it: Iterable<T>): T | undefined {
  let out: T | undefined;
  for (const x of it) out = x;
  return out;
}

/** How one haystack type (string or bytes) is matched, indexed and cut into pieces. */
interface Subject<T> {
  readonly text: (x: T) => string;
  readonly index: (text: string, offset: number) => number;
  readonly piece: (x: T, text: string, start: number, end?: number) => T;
  readonly concat: (parts: T[]) => T;
}

const STRING: Subject<string> = {
  text: (x) => x,
  index: codePointIndex,
  piece: (_x, text, start, end) => text.slice(start, end),
  concat: (parts) => parts.join(''),
};

const BYTES: Subject<Uint8Array> = {
  text: bytesToLatin1,
  index: (_text, offset) => offset,
  piece: (x, _text, start, end) => x.slice(start, end),
  concat: (parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  },
};

/** What a function does with the matches, given the haystack in both forms. */
type Body<T> = (subject: Subject<T>, x: T, text: string, found: () => Generator<Match>, rest: T[]) => unknown;

/**
 * A function with a string and a bytes signature sharing one body. `ret` gives the return type for
 * the string and the bytes signature. `replacement`: a third parameter after the pattern; `groups`:
 * the body reads the groups of a match, not only the whole match (so no native twin stands in).
 */
function reFunction(
  name: string,
  code: number,
  ret: [string, string],
  // biome-ignore lint/suspicious/noExplicitAny: one body serves both subjects (string and bytes); `build` below fixes T per signature
  body: Body<any>,
  { replacement = false, groups = false } = {},
): FnDef {
  const fcnName = `re.${name}`;
  const sig = (t: string, r: string): string => `(haystack: ${t}, pattern: ${t}${replacement ? `, replacement: ${t}` : ''}) -> ${r}`;
  const build = <T>(subject: Subject<T>, ctx: EngineContext): Impl => {
    // A document's patterns are constants: the same string at every call of a site, compiled (and
    // given its native twin, for a string haystack and a function that reads whole matches only)
    // at the first call, without the shared cache's bookkeeping at every call after.
    let lastPattern: string | undefined;
    let compiled: Compiled | undefined;
    let re2Find: Finder | undefined;
    let twin: NativeTwin | undefined;
    return (x: T, pattern: T, ...rest: T[]) => {
      const source = subject.text(pattern);
      if (source !== lastPattern || compiled === undefined) {
        compiled = compile(source, code, fcnName);
        re2Find = 're2' in compiled ? re2Finder(compiled.re2) : undefined;
        twin = subject === (STRING as Subject<unknown>) && !groups ? nativeTwin(source) : undefined;
        lastPattern = source;
      }
      const text = subject.text(x);
      const native = twin !== undefined && (!twin.asciiOnly || !NON_ASCII.test(text)) ? twin.re : undefined;
      if (native) return body(subject, x, text, () => nativeMatches(native, text), rest);
      // The backtracking matcher's step counter is one per call: its hard cap bounds a call.
      const find = re2Find ?? backtrackFinder((compiled as { readonly backrefs: BackrefPattern }).backrefs, ctx);
      return body(subject, x, text, () => matches(find, text), rest);
    };
  };
  return {
    sig: [sig('string', ret[0]), sig('bytes', ret[1])],
    errors: [code],
    make: (site) => {
      re2js(); // loaded now, when the document is compiled, rather than by its first record
      return site.sigIndex === 0 ? build(STRING, site.ctx) : build(BYTES, site.ctx);
    },
  };
}

function span<T>(subject: Subject<T>, text: string, [b, e]: [number, number]): number[] {
  return [subject.index(text, b), subject.index(text, e)];
}

/** The haystack with the match `m` (if any) replaced by `replacement`. */
function replaceOne<T>(subject: Subject<T>, x: T, text: string, m: Match | undefined, replacement: T): T {
  if (!m) return x;
  const [b, e] = m[0]!;
  return subject.concat([subject.piece(x, text, 0, b), replacement, subject.piece(x, text, e)]);
}

/**
 * The pieces of the haystack between matches, as the reference engine cuts them: no empty piece
 * before a match at the start or after a match at the end; the whole haystack when nothing matches.
 */
function between<T>(subject: Subject<T>, x: T, text: string, found: Iterable<Match>): T[] {
  const out: T[] = [];
  let from = 0;
  let n = 0;
  for (const [[b, e]] of found) {
    if (n++ > 0 || b > 0) out.push(subject.piece(x, text, from, b));
    from = e;
  }
  if (n === 0 || from < text.length) out.push(subject.piece(x, text, from));
  return out;
}

/**
 * A pattern's native twin: a JS RegExp (global) whose successive matches in the whole haystack are
 * the spans re2js finds by `matches`, for functions that read whole matches (not groups). For
 * that, every match is non-empty, JS's leftmost-first match is the leftmost-longest one, and a
 * search of the rest of the haystack as a new string (which `^` and `\b` see as a start) finds
 * what searching on after the last match finds. `\w`, `\b` and `\s` are ASCII in RE2 (`\s` is
 * `[\t\n\f\r ]`, narrower than JS's), so they are written as RE2 reads them. A spec compares each
 * twin with re2js on random text.
 */
interface NativeTwin {
  readonly re: RegExp;
  /** Only over haystacks of ASCII characters: beyond them the engines' Unicode tables or case folding may differ. */
  readonly asciiOnly: boolean;
}

/**
 * The patterns text models are lowered to, run once or a few times a record, where re2js took most
 * of a record's time: tokenizers (`\b\w\w+\b` is scikit-learn's: every match is a maximal run of
 * word characters, and the rest after one starts at a non-word character, where no match starts
 * either way), the default word separator (a maximal run of blanks), and the trimming of
 * punctuation from a token's ends (the first branch only matches at 0 and takes the run there,
 * and a match of it ends before a character that is not punctuation, so `^` cannot match again).
 */
const TWINS = new Map<string, NativeTwin>([
  ['\\b\\w\\w+\\b', { re: /\b\w\w+\b/g, asciiOnly: false }],
  ['\\w+', { re: /\w+/g, asciiOnly: false }],
  ['\\s+', { re: /[\t\n\f\r ]+/g, asciiOnly: false }],
  ['^\\pP+|\\pP+$', { re: /^\p{P}+|\p{P}+$/gu, asciiOnly: true }],
]);

/**
 * A list of words between word boundaries, `\b(w1|w2|...)\b` (the group may be `(?:`, the whole
 * may start with `(?i)`), each word ASCII letters, digits and underscores: the stop-word tables of
 * text models' normalization, hundreds of words that re2js's automaton steps through character by
 * character (a third of a scikit-learn text model's scoring). A word matches only where the
 * haystack's run of word characters starts and ends with it, so at most one word matches at a
 * place, and a match ends before a non-word character, where no match starts. Ignoring case, RE2
 * also folds two non-ASCII characters onto ASCII letters (U+017F onto s, U+212A onto k) and JS
 * does not: such a list's twin is for ASCII haystacks only.
 */
const WORD_LIST = /^(\(\?i\))?\\b\((?:\?:)?([A-Za-z0-9_]+(?:\|[A-Za-z0-9_]+)*)\)\\b$/;

const NON_ASCII = /[\u0080-\uffff]/;

export function nativeTwin(pattern: string): NativeTwin | undefined {
  const fixed = TWINS.get(pattern);
  if (fixed) return fixed;
  const m = WORD_LIST.exec(pattern);
  if (!m) return undefined;
  const caseless = m[1] !== undefined;
  try {
    return { re: new RegExp(`\\b(?:${m[2]})\\b`, caseless ? 'gi' : 'g'), asciiOnly: caseless };
  } catch {
    return undefined; // a list too large for RegExp (a document's cell may hold megabytes): re2js then
  }
}

/** The matches of a native twin, as `matches` gives re2js's: group 0 only. */
function* nativeMatches(re: RegExp, text: string): Generator<Match> {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) yield [[m.index, m.index + m[0].length]];
}

const INT_ARRAY: [string, string] = ['array<int>', 'array<int>'];
const INT_ARRAYS: [string, string] = ['array<array<int>>', 'array<array<int>>'];

export default defineLibrary('re', {
  index: reFunction('index', 35000, INT_ARRAY, (s, _x, text, found) => {
    const m = first(found());
    return m ? span(s, text, m[0]!) : [];
  }),
  contains: reFunction('contains', 35010, ['boolean', 'boolean'], (_s, _x, _text, found) => first(found()) !== undefined),
  count: reFunction('count', 35020, ['int', 'int'], (_s, _x, _text, found) => {
    let n = 0;
    for (const _ of found()) n++;
    return n;
  }),
  rindex: reFunction('rindex', 35030, INT_ARRAY, (s, _x, text, found) => {
    const m = last(found());
    return m ? span(s, text, m[0]!) : [];
  }),
  groups: reFunction('groups', 35040, INT_ARRAYS, (s, _x, text, found) => (first(found()) ?? []).map((g) => span(s, text, g)), {
    groups: true,
  }),
  indexall: reFunction('indexall', 35050, INT_ARRAYS, (s, _x, text, found) => Array.from(found(), (m) => span(s, text, m[0]!))),
  findall: reFunction('findall', 35060, ['array<string>', 'array<bytes>'], (s, x, text, found) =>
    Array.from(found(), (m) => s.piece(x, text, ...m[0]!)),
  ),
  findfirst: reFunction('findfirst', 35070, ['union<string, null>', 'union<bytes, null>'], (s, x, text, found) => {
    const m = first(found());
    return m ? s.piece(x, text, ...m[0]!) : null;
  }),
  findgroupsfirst: reFunction(
    'findgroupsfirst',
    35080,
    ['array<string>', 'array<bytes>'],
    (s, x, text, found) => (first(found()) ?? []).map((g) => s.piece(x, text, ...g)),
    { groups: true },
  ),
  findgroupsall: reFunction(
    'findgroupsall',
    35090,
    ['array<array<string>>', 'array<array<bytes>>'],
    (s, x, text, found) => Array.from(found(), (m) => m.map((g) => s.piece(x, text, ...g))),
    { groups: true },
  ),
  groupsall: reFunction(
    'groupsall',
    35100,
    ['array<array<array<int>>>', 'array<array<array<int>>>'],
    (s, _x, text, found) => Array.from(found(), (m) => m.map((g) => span(s, text, g))),
    { groups: true },
  ),
  replacefirst: reFunction(
    'replacefirst',
    35110,
    ['string', 'bytes'],
    (s, x, text, found, [replacement]) => replaceOne(s, x, text, first(found()), replacement),
    { replacement: true },
  ),
  replacelast: reFunction(
    'replacelast',
    35120,
    ['string', 'bytes'],
    (s, x, text, found, [replacement]) => replaceOne(s, x, text, last(found()), replacement),
    { replacement: true },
  ),
  split: reFunction('split', 35130, ['array<string>', 'array<bytes>'], (s, x, text, found) => between(s, x, text, found())),
  replaceall: reFunction(
    'replaceall',
    35140,
    ['string', 'bytes'],
    (s, x, text, found, [replacement]) => {
      const parts: unknown[] = [];
      let from = 0;
      for (const [[b, e]] of found()) {
        parts.push(s.piece(x, text, from, b), replacement);
        from = e;
      }
      return parts.length === 0 ? x : s.concat([...parts, s.piece(x, text, from)]);
    },
    { replacement: true },
  ),
});
