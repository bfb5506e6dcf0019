/**
 * Patterns with backreferences (`\1` to `\9`, POSIX's only non-regular construct): found by a scan of
 * the pattern text, then compiled by re2js with each backreference replaced by an empty named group,
 * so that re2js parses and compiles everything else exactly as it does for the linear-time path, and
 * the backtracking matcher (`backtrack.ts`) reads those groups as backreferences.
 */
import { re2js } from '../../../lazy-modules.js';
import { Op, type BacktrackProgram, type ProgInst } from './backtrack.js';

/** Names of the groups standing for backreferences; a pattern using such a name is refused by re2js (duplicate). */
const PLACEHOLDER = '__pfa_backref_';

/**
 * The pattern with each backreference `\N` replaced by an empty group named `PLACEHOLDER<k>_<N>`,
 * or null when it has none. Backreferences are recognised outside bracket expressions and `\Q...\E`
 * quotes; inside them `\1` keeps whatever meaning (or error) it has for RE2.
 */
export function rewriteBackrefs(pattern: string): string | null {
  let out = '';
  let found = 0;
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i]!;
    if (c === '\\') {
      const d = pattern[i + 1];
      if (d !== undefined && d >= '1' && d <= '9') {
        out += `(?P<${PLACEHOLDER}${found++}_${d}>)`;
        i += 2;
      } else if (d === 'Q') {
        const close = pattern.indexOf('\\E', i + 2);
        const stop = close < 0 ? n : close + 2;
        out += pattern.slice(i, stop);
        i = stop;
      } else {
        out += pattern.slice(i, i + 2);
        i += 2;
      }
    } else if (c === '[') {
      // A bracket expression: `]` right after `[` or `[^` is a member, `[:name:]` a class name.
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < n && pattern[j] !== ']') {
        if (pattern[j] === '\\') j += 2;
        else if (pattern[j] === '[' && pattern[j + 1] === ':') {
          const close = pattern.indexOf(':]', j + 2);
          j = close < 0 ? j + 1 : close + 2;
        } else j++;
      }
      const stop = Math.min(n, j + 1);
      out += pattern.slice(i, stop);
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return found > 0 ? out : null;
}

/** What re2js exposes of a compiled pattern (not part of its typed interface; checked below). */
interface Re2Internals {
  readonly re2Input?: {
    readonly prog?: { readonly inst?: unknown; readonly start?: unknown; readonly numCap?: unknown };
    readonly namedGroups?: Record<string, number>;
  };
}

/**
 * A compiled pattern with backreferences, for the backtracking matcher, and which of its groups are
 * the pattern's own (`groups[g]` is the program group of the pattern's group g, group 0 first).
 */
export interface BackrefPattern {
  readonly prog: BacktrackProgram;
  readonly groups: readonly number[];
}

/**
 * Compiles a rewritten pattern (see `rewriteBackrefs`) with re2js's flags. Throws when re2js refuses
 * it, when a backreference names a group the pattern does not have, or when the compiled program is
 * not of the shape this matcher knows (a re2js upgrade changed it).
 */
export function compileBackrefs(rewritten: string, flags: number): BackrefPattern {
  const re = re2js().RE2JS.compile(rewritten, flags) as unknown as Re2Internals;
  const prog = re.re2Input?.prog;
  const named = re.re2Input?.namedGroups;
  if (!prog || !Array.isArray(prog.inst) || typeof prog.start !== 'number' || typeof prog.numCap !== 'number' || !named) {
    throw new Error('re2js compiled program not found');
  }
  const inst = prog.inst as ProgInst[];
  for (const i of inst) {
    if (!(i.op >= Op.Alt && i.op <= Op.RuneAnyNotNl) || typeof i.matchRune !== 'function') {
      throw new Error(`re2js instruction ${String(i.op)} not understood`);
    }
  }
  const numGroups = prog.numCap / 2; // group 0 included
  const referenced = new Map<number, number>(); // placeholder group -> the pattern's group number
  for (const [name, index] of Object.entries(named)) {
    if (name.startsWith(PLACEHOLDER)) referenced.set(index, Number(name.slice(name.lastIndexOf('_') + 1)));
  }
  const groups: number[] = [];
  for (let g = 0; g < numGroups; g++) if (!referenced.has(g)) groups.push(g);
  const backref = new Int32Array(numGroups).fill(-1);
  const refSlots = new Set<number>();
  for (const [placeholder, n] of referenced) {
    const target = groups[n];
    if (target === undefined) throw new Error(`backreference \\${n} to a group the pattern does not have`);
    backref[placeholder] = target;
    refSlots.add(2 * target).add(2 * target + 1);
  }
  return {
    prog: { inst, start: prog.start, numCap: prog.numCap, backref, refSlots: [...refSlots].sort((a, b) => a - b) },
    groups,
  };
}
