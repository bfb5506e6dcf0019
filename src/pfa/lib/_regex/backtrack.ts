/**
 * A backtracking matcher for the compiled programs of re2js, for the one thing RE2 cannot do:
 * backreferences. Patterns without one never come here (they run on re2js itself, in linear time).
 *
 * The program is the instruction list re2js compiles a pattern into; a backreference `\N` reaches it
 * as an empty named group (see `backrefs.ts`), whose opening capture instruction this matcher reads
 * as "match again the text group N matched". Everything else (character classes, case folding,
 * anchors, word boundaries, repetition) is re2js's own compilation, so on a pattern without
 * backreferences this matcher finds exactly what re2js finds: the leftmost match, the longest one
 * there (re.* runs RE2 in leftmost-longest mode), and among equally long ones the first in priority
 * order (greedy before lazy, left alternative before right), as re2js's own backtracker does.
 *
 * Search is depth first, in priority order, with memoisation: a state (instruction, position, and
 * the spans of the groups that backreferences read) reached a second time cannot lead anywhere new,
 * so it is cut. Without backreferences that makes the search linear in (program × text), as in
 * re2js's bit-state backtracker; with them the number of states is polynomial in the text for a
 * fixed pattern, but can still be large: every instruction executed is a step, steps are charged to
 * the caller's budget in blocks, and a hard cap stops the search even when the caller has none.
 */
import { LimitError } from '../../compile/runtime.js';

/** The instruction codes of re2js's compiled programs (re2js `Inst`). */
export const Op = {
  Alt: 1,
  AltMatch: 2,
  Capture: 3,
  EmptyWidth: 4,
  Fail: 5,
  Match: 6,
  Nop: 7,
  Rune: 8,
  Rune1: 9,
  RuneAny: 10,
  RuneAnyNotNl: 11,
} as const;

/** One instruction of a compiled program, as re2js builds it. */
export interface ProgInst {
  readonly op: number;
  readonly out: number;
  readonly arg: number;
  matchRune(r: number): boolean;
}

export interface BacktrackProgram {
  readonly inst: readonly ProgInst[];
  readonly start: number;
  /** Capture slots: two per group, group 0 (the whole match) included. */
  readonly numCap: number;
  /** For each group of the program: the group its backreference reads, or -1 for a real group. */
  readonly backref: Int32Array;
  /** The groups that are slots of referenced groups, flattened: what a memo key must include. */
  readonly refSlots: readonly number[];
}

/** What the matcher charges its work to (the library call's context). */
export interface StepMeter {
  /** Counts `units` steps; throws when the budget is spent. */
  charge(units: number): void;
  /** Reserves `elements` before the matcher's stack or memo grows by them. */
  allocate(elements: number): void;
}

/** Steps charged at a time. */
export const STEP_BLOCK = 1024;
/**
 * Steps one library call may take whatever the caller's budget, so a host that set no step budget
 * and no deadline still gets its thread back (well under a second of matching).
 */
export const MAX_STEPS = 1 << 22;
/** Memoised states kept at most; past it the search goes on unmemoised (still bounded by steps). */
const MAX_MEMO = 1 << 20;

/** Empty-width conditions, as re2js numbers them. */
const BEGIN_LINE = 1;
const END_LINE = 2;
const BEGIN_TEXT = 4;
const END_TEXT = 8;
const WORD_BOUNDARY = 16;
const NO_WORD_BOUNDARY = 32;

function isWord(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** The empty-width conditions that hold at UTF-16 offset `pos` of `text` (as re2js computes them). */
function context(text: string, pos: number): number {
  const r1 = pos > 0 ? text.charCodeAt(pos - 1) : -1;
  const r2 = pos < text.length ? text.charCodeAt(pos) : -1;
  let flags = 0;
  if (r1 < 0) flags |= BEGIN_TEXT | BEGIN_LINE;
  if (r1 === 10) flags |= BEGIN_LINE;
  if (r2 < 0) flags |= END_TEXT | END_LINE;
  if (r2 === 10) flags |= END_LINE;
  flags |= isWord(r1) !== isWord(r2) ? WORD_BOUNDARY : NO_WORD_BOUNDARY;
  return flags;
}

/**
 * Counts the steps of one library call (all the searches it makes), charging them in blocks to the
 * caller's budget and stopping at the hard cap.
 */
export class StepCounter {
  private pending = 0;
  private total = 0;

  constructor(
    readonly meter: StepMeter,
    private readonly cap = MAX_STEPS,
  ) {}

  /** Called with the steps taken since the last call, at least every `STEP_BLOCK` steps. */
  add(steps: number): void {
    this.pending += steps;
    this.total += steps;
    if (this.pending >= STEP_BLOCK) this.flush();
    if (this.total > this.cap) {
      throw new LimitError('loop-limit', `a regular expression with backreferences took more than ${this.cap} backtracking steps`);
    }
  }

  /** Charges what is left over (called once a search is over). */
  flush(): void {
    if (this.pending > 0) {
      const units = this.pending;
      this.pending = 0;
      this.meter.charge(units);
    }
  }
}

/**
 * A set of non-negative integers below 2^53 (open addressing, linear probing): the memo, several
 * times faster than a `Set` of such numbers, which the matcher queries on every step.
 */
class StateSet {
  private keys = new Float64Array(1024).fill(-1);
  private mask = 1023;
  private shift = 22; // 32 - log2(capacity): the hash is the product's high bits, the well-mixed ones
  size = 0;

  private slot(k: number): number {
    let h = Math.imul((k >>> 0) ^ ((k / 4294967296) >>> 0), 0x9e3779b1) >>> this.shift;
    while (this.keys[h] !== -1 && this.keys[h] !== k) h = (h + 1) & this.mask;
    return h;
  }

  /** Adds `k`; false when it was there already. */
  add(k: number): boolean {
    const h = this.slot(k);
    if (this.keys[h] === k) return false;
    this.keys[h] = k;
    if (++this.size * 2 > this.mask) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.keys;
    this.keys = new Float64Array(old.length * 2).fill(-1);
    this.mask = this.keys.length - 1;
    this.shift--;
    for (const k of old) if (k !== -1) this.keys[this.slot(k)] = k;
  }
}

/** Job kinds on the backtracking stack. */
const EXPLORE = 0;
const RESTORE = 1;

/**
 * The leftmost-longest match of `prog` in `text`: the capture slots (UTF-16 offsets, -1 for a group
 * that took no part), or null. Searches start at every code point and at the end.
 */
export function backtrackSearch(prog: BacktrackProgram, text: string, steps: StepCounter): Int32Array | null {
  const { inst, numCap, backref, refSlots } = prog;
  const isRefSlot = new Uint8Array(numCap);
  for (const s of refSlots) isRefSlot[s] = 1;
  const end = text.length;
  const nInst = inst.length;
  const cap = new Int32Array(numCap).fill(-1);
  const best = new Int32Array(numCap).fill(-1);
  // Memo keys: ((refState * (end + 1)) + pos) * nInst + pc, refState numbering the distinct spans of
  // the referenced groups seen so far (0 when no group is referenced).
  const memo = new StateSet();
  const refStates = new Map<number | string, number>();
  let refState = 0;
  let refDirty = false;
  const stride = (end + 1) * nInst;
  const maxRefState = Math.floor(Number.MAX_SAFE_INTEGER / stride) - 1;
  // Jobs: kind, pc or slot, pos or old value.
  let jobs = new Int32Array(3 * 64);
  let top = 0;
  let taken = 0;

  const push = (kind: number, a: number, b: number): void => {
    if (top + 3 > jobs.length) {
      steps.meter.allocate(jobs.length);
      const grown = new Int32Array(jobs.length * 2);
      grown.set(jobs);
      jobs = grown;
    }
    jobs[top++] = kind;
    jobs[top++] = a;
    jobs[top++] = b;
  };

  /** The spans of the referenced groups as a map key: a number when it fits, as it mostly does. */
  const numericKey = (end + 2) ** refSlots.length <= Number.MAX_SAFE_INTEGER;
  const refKey = (): number | string => {
    if (numericKey) {
      let key = 0;
      for (const slot of refSlots) key = key * (end + 2) + cap[slot]! + 1;
      return key;
    }
    let key = '';
    for (const slot of refSlots) key += `${cap[slot]},`;
    return key;
  };

  /** True the first time a state is seen (and records it). */
  const firstVisit = (pc: number, pos: number): boolean => {
    if (refDirty) {
      refDirty = false;
      const key = refKey();
      let id = refStates.get(key);
      if (id === undefined) {
        id = refStates.size < maxRefState && memo.size < MAX_MEMO ? refStates.size : -1;
        if (id >= 0) refStates.set(key, id);
      }
      refState = id;
    }
    if (refState < 0) return true;
    if (memo.size >= MAX_MEMO) return true;
    if (!memo.add(refState * stride + pos * nInst + pc)) return false;
    if ((memo.size & (STEP_BLOCK - 1)) === 1) steps.meter.allocate(STEP_BLOCK); // reserved a block at a time
    return true;
  };

  /** Depth-first search of the matches starting at `from`; true when one was found. */
  const tryAt = (from: number): boolean => {
    cap.fill(-1);
    cap[0] = from;
    refDirty = refSlots.length > 0;
    if (!refDirty) refState = 0;
    push(EXPLORE, prog.start, from);
    while (top > 0) {
      const b = jobs[--top]!;
      const a = jobs[--top]!;
      const kind = jobs[--top]!;
      if (kind === RESTORE) {
        cap[a] = b;
        if (isRefSlot[a]) refDirty = true;
        continue;
      }
      let pc = a;
      let pos = b;
      // Follows one thread until it fails, pushing the alternatives it passes.
      for (;;) {
        if (++taken >= STEP_BLOCK) {
          taken = 0;
          steps.add(STEP_BLOCK);
        }
        if (!firstVisit(pc, pos)) break;
        const i = inst[pc]!;
        const op = i.op;
        if (op === Op.Alt || op === Op.AltMatch) {
          push(EXPLORE, i.arg, pos);
          pc = i.out;
        } else if (op === Op.Rune || op === Op.Rune1 || op === Op.RuneAny || op === Op.RuneAnyNotNl) {
          if (pos >= end) break;
          const r = text.codePointAt(pos)!;
          if (op === Op.RuneAnyNotNl ? r === 10 : op !== Op.RuneAny && !i.matchRune(r)) break;
          pos += r > 0xffff ? 2 : 1;
          pc = i.out;
        } else if (op === Op.Capture) {
          const group = i.arg >> 1;
          const ref = group < backref.length ? backref[group]! : -1;
          if (ref >= 0) {
            // A backreference: its opening slot consumes the referenced text, its closing one is a no-op.
            if ((i.arg & 1) === 0) {
              const s = cap[2 * ref]!;
              const e = cap[2 * ref + 1]!;
              if (s < 0 || e < s) break;
              const n = e - s;
              if (pos + n > end || (n > 0 && text.slice(pos, pos + n) !== text.slice(s, e))) break;
              pos += n;
            }
          } else if (i.arg < numCap) {
            push(RESTORE, i.arg, cap[i.arg]!);
            cap[i.arg] = pos;
            if (isRefSlot[i.arg]) refDirty = true;
          }
          pc = i.out;
        } else if (op === Op.EmptyWidth) {
          if ((i.arg & ~context(text, pos)) !== 0) break;
          pc = i.out;
        } else if (op === Op.Nop) {
          pc = i.out;
        } else if (op === Op.Match) {
          // Leftmost-longest: keep the first match found of each greater length.
          if (best[1]! < 0 || pos > best[1]!) {
            cap[1] = pos;
            best.set(cap);
          }
          if (pos === end) {
            top = 0; // nothing can be longer
            return true;
          }
          break;
        } else {
          break; // Fail, or an instruction this matcher does not know (refused when the program is built)
        }
      }
    }
    return best[1]! >= 0;
  };

  let found = false;
  for (let from = 0; from <= end && !found; from += from < end && text.codePointAt(from)! > 0xffff ? 2 : 1) {
    found = tryAt(from);
  }
  steps.add(taken);
  steps.flush();
  return found ? best : null;
}
