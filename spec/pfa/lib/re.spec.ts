import { describe, expect, it } from 'vitest';
import { T } from '../../../src/avro/types.js';
import { LimitError } from '../../../src/pfa/compile/runtime.js';
import { implementationFor } from '../../../src/pfa/lib/define.js';
import { registry } from '../../../src/pfa/lib/index.js';
import { nativeTwin } from '../../../src/pfa/lib/re.js';
import { errorCode, implFor } from './_direct-call.js';

const str = (name: string) => implFor(`re.${name}`, name.startsWith('replace') ? [T.string, T.string, T.string] : [T.string, T.string], 0);
const byt = (name: string) => implFor(`re.${name}`, name.startsWith('replace') ? [T.bytes, T.bytes, T.bytes] : [T.bytes, T.bytes], 1);
const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('re: matching semantics', () => {
  it('functions on patterns with a native twin give what re2js gives (the same pattern in a group, which has none)', () => {
    // Letters (and the two non-ASCII ones RE2 folds onto s and k), digits, underscore, blanks (and
    // those JS's \s has and RE2's has not), punctuation, symbols, non-ASCII letters, an astral character.
    const alphabet = [...'abkKsSZ09_ ', ' ', '\t', '\n', '\v', '\u00a0', ...".,'-!?$+", 'é', 'ß', 'ж', '\u017f', '\u212a', '😀', '¿'];
    const patterns = [
      '\\b\\w\\w+\\b',
      '\\w+',
      '\\s+',
      '^\\pP+|\\pP+$',
      '\\b(a|ab|k|s_1|the)\\b',
      '\\b(?:as|ks|b)\\b',
      '(?i)\\b(a|ab|sk|kS|z)\\b',
    ];
    for (const p of patterns) expect(nativeTwin(p), p).toBeDefined();
    expect(nativeTwin('\\b(a|b+)\\b')).toBeUndefined();
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const names = [
      'index',
      'contains',
      'count',
      'rindex',
      'indexall',
      'findall',
      'findfirst',
      'split',
      'replacefirst',
      'replacelast',
      'replaceall',
    ];
    const fns = names.map((n) => [n, str(n)] as const);
    for (let i = 0; i < 300; i++) {
      const text = Array.from({ length: Math.floor(next() * 30) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      for (const pattern of patterns)
        for (const [name, fn] of fns) {
          const args = name.startsWith('replace') ? ['<', '>'] : [];
          expect(fn(text, pattern, ...args), `${name} ${JSON.stringify(text)} ${pattern}`).toEqual(fn(text, `(?:${pattern})`, ...args));
        }
    }
    expect(str('findall')("Don't stop, it_is 42 times é-ok", '\\b\\w\\w+\\b')).toEqual(['Don', 'stop', 'it_is', '42', 'times', 'ok']);
    expect(str('findall')('', '\\w+')).toEqual([]);
    expect(str('replaceall')('The cat and a dog', '(?i)\\b(the|a|and)\\b', ' ')).toBe('  cat     dog');
    expect(str('split')(' a \u00a0b\tc ', '\\s+')).toEqual(['a', '\u00a0b', 'c']);
    expect(str('replaceall')('¿¡hola!!', '^\\pP+|\\pP+$', '')).toBe('hola');
  });

  it('takes the leftmost-longest match (POSIX), with dot matching newlines', () => {
    expect(str('findfirst')('xab', 'a|ab')).toBe('ab');
    expect(str('findall')('a\nb', 'a.b')).toEqual(['a\nb']);
    expect(str('findfirst')('abc', 'z')).toBeNull();
  });

  it('searches each next match in the rest of the haystack, as a new string', () => {
    expect(str('findall')('aaa', '^a')).toEqual(['a', 'a', 'a']);
    expect(str('count')('banana', 'ana')).toBe(1);
    expect(str('indexall')('ab', 'x*')).toEqual([
      [0, 0],
      [1, 1],
    ]);
    expect(str('contains')('', 'x*')).toBe(false);
  });

  it('indexes strings by code point and bytes by byte', () => {
    expect(str('index')('😀−ab', 'ab')).toEqual([2, 4]);
    expect(str('rindex')('ab😀ab', 'ab')).toEqual([3, 5]);
    expect(byt('index')(latin1('\u00ff\u0080ab'), latin1('ab'))).toEqual([2, 4]);
    expect(byt('findall')(latin1('a\u00e9b'), latin1('.'))).toEqual([latin1('a'), latin1('\u00e9'), latin1('b')]);
  });

  it('lists only the groups that took part, whole match first', () => {
    expect(str('groups')('xb', '(a)|(b)')).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(str('findgroupsfirst')('k=v', '(\\w)=(\\w)')).toEqual(['k=v', 'k', 'v']);
    expect(str('findgroupsall')('a1b2', '([a-z])([0-9])')).toEqual([
      ['a1', 'a', '1'],
      ['b2', 'b', '2'],
    ]);
    expect(str('groupsall')('a1', '([a-z])[0-9]')).toEqual([
      [
        [0, 2],
        [0, 1],
      ],
    ]);
  });
});

describe('re: replacing and splitting', () => {
  it('replaces literally', () => {
    expect(str('replacefirst')('a-b-c', '-', '$&')).toBe('a$&b-c');
    expect(str('replacelast')('a-b-c', '-', '+')).toBe('a-b+c');
    expect(str('replaceall')('a-b-c', '[-]', '')).toBe('abc');
    expect(str('replaceall')('abc', 'z', 'y')).toBe('abc');
    expect(byt('replaceall')(latin1('a\u0000b'), latin1('\u0000'), latin1('--'))).toEqual(latin1('a--b'));
  });

  it('splits without empty pieces at the ends', () => {
    expect(str('split')('-a--b-', '-')).toEqual(['a', '', 'b']);
    expect(str('split')('abc', ',')).toEqual(['abc']);
    expect(str('split')('', ',')).toEqual(['']);
    expect(str('split')(',', ',')).toEqual([]);
    expect(byt('split')(latin1('a,b'), latin1(','))).toEqual([latin1('a'), latin1('b')]);
  });
});

describe('re: bad patterns', () => {
  it('raises each function’s own error code, for strings and bytes', () => {
    const codes: Record<string, number> = {
      index: 35000,
      contains: 35010,
      count: 35020,
      rindex: 35030,
      groups: 35040,
      indexall: 35050,
      findall: 35060,
      findfirst: 35070,
      findgroupsfirst: 35080,
      findgroupsall: 35090,
      groupsall: 35100,
      replacefirst: 35110,
      replacelast: 35120,
      split: 35130,
      replaceall: 35140,
    };
    for (const [name, code] of Object.entries(codes)) {
      expect(errorCode(() => str(name)('hello', '(', 'x'))).toBe(code);
      expect(errorCode(() => byt(name)(latin1('hello'), latin1('[a'), latin1('x')))).toBe(code);
    }
  });

  it('rejects a backreference to a group the pattern does not have', () => {
    expect(errorCode(() => str('contains')('hello', '\\1'))).toBe(35010);
    expect(errorCode(() => str('contains')('hello', '(.)\\2'))).toBe(35010);
    expect(errorCode(() => byt('count')(latin1('hello'), latin1('(l)(\\3)')))).toBe(35020);
  });

  // A backtracking engine would not finish this; the timeout only guards against a hang.
  it('terminates on patterns that make backtracking engines explode', { timeout: 20_000 }, () => {
    expect(str('contains')('a'.repeat(5000), '(a*)*b')).toBe(false);
  });
});

describe('re: backreferences', () => {
  it('match the referenced text, with every function, for strings and bytes', () => {
    expect(str('index')('hello', '(.)\\1')).toEqual([2, 4]);
    expect(str('rindex')('aabbx', '(.)\\1')).toEqual([2, 4]);
    expect(str('count')('aabbcd', '(.)\\1')).toBe(2);
    expect(str('groups')('hello', '(.)\\1')).toEqual([
      [2, 4],
      [2, 3],
    ]);
    expect(str('findgroupsall')('abab cdcd', '(\\w+)\\1')).toEqual([
      ['abab', 'ab'],
      ['cdcd', 'cd'],
    ]);
    expect(str('replaceall')('a--b==c', '([-=])\\1', '+')).toBe('a+b+c');
    expect(str('split')('x11y22z', '([0-9])\\1')).toEqual(['x', 'y', 'z']);
    expect(byt('index')(latin1('\u00ffoo'), latin1('(.)\\1'))).toEqual([1, 3]);
    expect(byt('findall')(latin1('\u0000\u0000\u00e9\u00e9'), latin1('(.)\\1'))).toEqual([latin1('\u0000\u0000'), latin1('\u00e9\u00e9')]);
  });

  it('index strings by code point', () => {
    expect(str('index')('😀−xx', '(.)\\1')).toEqual([2, 4]);
    expect(str('groups')('a😀😀', '(😀)\\1')).toEqual([
      [1, 3],
      [1, 2],
    ]);
  });

  it('count their steps against the call’s budget and stop when it is spent', () => {
    const charged: number[] = [];
    const fn = registry.get('re.contains')!;
    const contains = implementationFor(fn.def, {
      name: 're.contains',
      sigIndex: 0,
      argTypes: [T.string, T.string],
      paramTypes: [T.string, T.string],
      retType: T.boolean,
      bindings: new Map(),
      ctx: {
        random: Math.random,
        log: () => undefined,
        allocate: () => undefined,
        charge: (n) => {
          charged.push(n);
          if (charged.reduce((a, b) => a + b, 0) > 100_000) throw new LimitError('loop-limit', 'budget spent');
        },
      },
    });
    expect(contains('xyzzy', '(.)\\1')).toBe(true);
    expect(charged.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    charged.length = 0;
    const t0 = performance.now();
    expect(() => contains('a'.repeat(3000), '(a*)*\\1b')).toThrow(LimitError);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});
