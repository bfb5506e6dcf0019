/**
 * How a MiningModel combines the `Result`s of its segments (the multipleModelMethod), written as
 * one PFA statement per segment that updates a few variables, then the combined `Result`.
 *
 * A segment counts when its predicate selected it. A counted segment without a prediction is
 * handled by the missingPredictionTreatment:
 * - `returnMissing`: the whole prediction is missing;
 * - `skipSegment`: the segment is left out; the prediction is missing when no segment is left or the
 *   (weighted) fraction of left-out segments exceeds missingThreshold;
 * - `continue` (PMML's default): a vote for "missing", which makes the prediction missing when it wins
 *   (or exceeds missingThreshold); in sums, averages, medians and maxima the missing value propagates;
 *   in chains it is passed on to the next segment.
 *
 * Classification methods combine labels (votes) or probability maps (averages, sums); a segment that
 * gives a label without probabilities counts as probability 1 for its label. Ties go to the label
 * that reached the best score first.
 */
import type { XmlElement } from '../xml.js';
import { type LowerContext, NULL_RESULT, lit, result } from './context.js';
import { local, member, type Pfa, type Ref } from './builder.js';
import type { MiningFunction } from './family.js';

export type Treatment = 'returnMissing' | 'skipSegment' | 'continue';

/** One lowered segment. */
export interface SegmentRun {
  /** A boolean expression: whether the predicate selected the segment (`true`: always). */
  readonly selected: Pfa;
  /** The symbol of its `Result`. */
  readonly result: Ref;
  /** A double expression: the Segment's weight, or its VariableWeight field (0 when missing). */
  readonly weight: Pfa;
  readonly functionName: MiningFunction;
  readonly element: XmlElement;
}

export interface Combination {
  readonly method: string;
  readonly runs: readonly SegmentRun[];
  readonly functionName: string;
  readonly treatment: Treatment;
  readonly threshold: number;
  /** The target's declared categories: those no segment predicts get probability 0. */
  readonly categories: readonly string[];
  /** JPMML's `x-mathContext="float"` (XGBoost): sums are accumulated in 32-bit floats. */
  readonly float: boolean;
  /** Where a `sum` starts: 0, or the base score a float model adds first (float.ts floatSumStart). */
  readonly start: number;
  readonly element: XmlElement;
}

const MAP = { type: 'map', values: 'double' } as const;
const DOUBLES = { type: 'array', items: 'double' } as const;
const STRINGS = { type: 'array', items: 'string' } as const;
const add = (a: Pfa, b: Pfa): Pfa => ({ '+': [a, b] });
/** The parameters and locals of the user functions this file defines. */
const [ACC, PROBS, W, M, K, P, V, XS, WS, ORDER, HALF, CUM] = [
  'acc',
  'probs',
  'w',
  'm',
  'k',
  'p',
  'v',
  'xs',
  'ws',
  'order',
  'half',
  'cum',
].map(local) as [Ref, Ref, Ref, Ref, Ref, Ref, Ref, Ref, Ref, Ref, Ref, Ref];
/** A double literal (JSON would write 1.0 as the int 1). */
const D = (x: number): Pfa => lit.double(x);
const some = (x: Pfa, t: string): Pfa => ({ upcast: x, as: ['null', t] });

/** Variables shared by every combination: weights of the segments with and without a prediction. */
interface Tally {
  readonly present: Ref;
  readonly missing: Ref;
}

/**
 * One statement per selected segment: `onPresent(x)` with its prediction `x` (its number, or its
 * label), else its weight goes to the missing tally.
 */
function perSegment(
  c: Combination,
  ctx: LowerContext,
  out: Pfa[],
  read: (r: SegmentRun) => Pfa,
  onPresent: (x: Ref, r: SegmentRun, unit: Pfa) => Pfa[],
): Tally {
  const tally = { present: ctx.symbol('present'), missing: ctx.symbol('missing') };
  out.push({ let: { [tally.present]: D(0), [tally.missing]: D(0) } });
  const weighted = c.method.startsWith('weighted');
  for (const r of c.runs) {
    const x = ctx.symbol('x');
    const unit = weighted ? r.weight : D(1);
    const stmt = {
      ifnotnull: { [x]: read(r) },
      then: { do: [...onPresent(x, r, unit), { set: { [tally.present]: add(tally.present, unit) } }] },
      else: { set: { [tally.missing]: add(tally.missing, unit) } },
    };
    out.push(r.selected === true ? stmt : { if: r.selected, then: stmt });
  }
  return tally;
}

/** Whether the tallies make the prediction missing (`extra`: a further condition of `continue`). */
function giveUp(c: Combination, t: Tally, extra?: Pfa): Pfa {
  const fraction = { '>': [{ '/': [t.missing, add(t.present, t.missing)] }, c.threshold] };
  const rest: Pfa =
    c.treatment === 'returnMissing'
      ? { '>': [t.missing, D(0)] }
      : c.treatment === 'skipSegment'
        ? fraction
        : { '||': [fraction, extra ?? { '>': [t.missing, D(0)] }] };
  // Without any prediction, `extra` (which reads the combined predictions) is not evaluated.
  return { if: { '==': [t.present, D(0)] }, then: true, else: rest };
}

export function combine(c: Combination, ctx: LowerContext, out: Pfa[]): Pfa {
  switch (c.method) {
    case 'modelChain':
    case 'multiModelChain':
    case 'selectAll':
      return chain(c, ctx, out);
    case 'majorityVote':
    case 'weightedMajorityVote':
      return vote(c, ctx, out);
  }
  if (c.functionName === 'regression') return numeric(c, ctx, out);
  switch (c.method) {
    case 'average':
    case 'weightedAverage':
    case 'sum':
    case 'weightedSum':
      return probabilities(c, ctx, out);
    case 'max':
      return mostConfident(c, ctx, out);
    default:
      return ctx.unsupported(c.element, `multipleModelMethod ${c.method} for ${c.functionName}`);
  }
}

/** The last selected segment's Result; with `returnMissing`, missing when any selected segment's is. */
function chain(c: Combination, ctx: LowerContext, out: Pfa[]): Pfa {
  const last = c.runs[c.runs.length - 1]!;
  const lastSymbol = ctx.symbol('last');
  if (last.selected !== true) out.push({ let: { [lastSymbol]: NULL_RESULT } });
  const t = perSegment(
    c,
    ctx,
    out,
    (r) => predictionOf(r),
    (_x, r) => (last.selected === true ? [] : [{ set: { [lastSymbol]: r.result } }]),
  );
  const chosen = last.selected === true ? last.result : lastSymbol;
  return c.treatment === 'returnMissing' ? { if: { '>': [t.missing, D(0)] }, then: NULL_RESULT, else: chosen } : chosen;
}

/** What a segment predicts: its number (regression) or its label. */
function predictionOf(r: SegmentRun): Ref {
  return r.functionName === 'regression' ? member(r.result, 'number') : member(r.result, 'label');
}

/** sum, average, median, max and their weighted forms, over numbers. */
function numeric(c: Combination, ctx: LowerContext, out: Pfa[]): Pfa {
  const acc = ctx.symbol('acc');
  const [xs, ws] = [ctx.symbol('xs'), ctx.symbol('ws')];
  const collect = c.method === 'median' || c.method === 'weightedMedian';
  if (collect) out.push({ let: { [xs]: { type: DOUBLES, value: [] }, [ws]: { type: DOUBLES, value: [] } } });
  else out.push({ let: { [acc]: D(c.method === 'max' ? -Infinity : c.method === 'sum' ? c.start : 0) } });
  const update = (x: Ref, r: SegmentRun): Pfa[] => {
    switch (c.method) {
      case 'sum':
      case 'average':
        return [{ set: { [acc]: c.float ? { upcast: { 'cast.float': [add(acc, x)] }, as: 'double' } : add(acc, x) } }];
      case 'weightedSum':
      case 'weightedAverage':
        return [{ set: { [acc]: add(acc, { '*': [r.weight, x] }) } }];
      case 'max':
        return [{ set: { [acc]: { max: [acc, x] } } }];
      case 'median':
      case 'weightedMedian':
        return [{ set: { [xs]: { 'a.append': [xs, x] }, [ws]: { 'a.append': [ws, r.weight] } } }];
      default:
        return ctx.unsupported(c.element, `multipleModelMethod ${c.method} for regression`);
    }
  };
  const t = perSegment(c, ctx, out, (r) => member(r.result, 'number'), update);
  const value: Pfa =
    c.method === 'average' || c.method === 'weightedAverage'
      ? { '/': [acc, t.present] }
      : c.method === 'median'
        ? { 'a.median': [xs] }
        : c.method === 'weightedMedian'
          ? { [`u.${weightedMedian(ctx)}`]: [xs, ws] }
          : acc;
  return { if: giveUp(c, t), then: NULL_RESULT, else: result({ number: some(value, 'double') }) };
}

/** The label with the best score of a map, the first one reached among equals. */
function best(map: Ref): Pfa {
  return { attr: { 'map.keys': [map] }, path: [{ 'a.argmax': [{ 'map.values': [map] }] }] };
}

/**
 * majorityVote and weightedMajorityVote: probabilities are the shares of the votes. With declared
 * categories, their votes are counted in numbers (voteTotals); without, or as the baseline the
 * specs compare it with, in a map (voteMaps).
 */
function vote(c: Combination, ctx: LowerContext, out: Pfa[]): Pfa {
  if (c.functionName === 'regression') ctx.unsupported(c.element, `multipleModelMethod ${c.method} for regression`);
  return c.categories.length > 0 ? voteTotals(c, ctx, out) : voteMaps(c, ctx, out);
}

/** The Result of a vote from the map of votes (labels in the order they first appeared) and the tallies. */
function fromVotes(c: Combination, t: Tally, votes: Ref): Pfa {
  const shares = { 'map.map': [votes, { params: [{ v: 'double' }], ret: 'double', do: { '/': [V, t.present] } }] };
  return {
    if: giveUp(c, t, { '>': [t.missing, { 'a.max': [{ 'map.values': [votes] }] }] }),
    then: NULL_RESULT,
    else: result({ label: some(best(votes), 'string'), probs: withZeros(c, shares) }),
  };
}

/** The baseline: each vote added into a map of votes by label. */
export function voteMaps(c: Combination, ctx: LowerContext, out: Pfa[]): Pfa {
  const votes = ctx.symbol('votes');
  out.push({ let: { [votes]: { type: MAP, value: {} } } });
  const t = perSegment(
    c,
    ctx,
    out,
    (r) => member(r.result, 'label'),
    (x, _r, unit) => [{ set: { [votes]: { 'map.add': [votes, x, add(countOf(votes, x), unit)] } } }],
  );
  return fromVotes(c, t, votes);
}

/**
 * The same votes as voteMaps, each declared category's counted in a number: a vote is a few string
 * comparisons where adding it to the map copied the map (about half the scoring time of a 15-tree
 * forest's majority vote, rattle-RandomForestAudit). Each count is the same additions in the same
 * order, and the map of votes is built once at the end with its labels in the order they first
 * appeared (the label of a tie is the first to appear); labels outside the declared categories
 * are counted in a map of their own.
 */
export function voteTotals(c: Combination, ctx: LowerContext, out: Pfa[]): Pfa {
  const counters = declareTotals(c, ctx, out);
  const { cats, totals, seen, order, others } = counters;
  const votes = ctx.symbol('votes');
  const t = perSegment(
    c,
    ctx,
    out,
    (r) => member(r.result, 'label'),
    (x, _r, unit) => [
      {
        cond: cats.map((k, i) => ({
          if: { '==': [x, lit.string(k)] },
          then: [
            { set: { [totals[i]!]: add(totals[i]!, unit) } },
            { if: { '!': [seen[i]!] }, then: { set: { [seen[i]!]: true, [order]: { 'a.append': [order, x] } } } },
          ],
        })),
        else: [
          { if: { '!': [{ 'map.containsKey': [others, x] }] }, then: { set: { [order]: { 'a.append': [order, x] } } } },
          { set: { [others]: { 'map.add': [others, x, add(countOf(others, x), unit)] } } },
        ],
      },
    ],
  );
  const general = { do: [{ let: { [votes]: totalsMap(counters) } }, fromVotes(c, t, votes)] };
  const shares = counters.totals.map((total) => ({ '/': [total, t.present] }));
  // The winner has the most votes; the vote gives up where missing votes outnumber them.
  return declaredOnly(counters, ctx, general, shares, counters.totals, (label, most, probs) => ({
    if: giveUp(c, t, { '>': [t.missing, most] }),
    then: NULL_RESULT,
    else: result({ label: some(label, 'string'), probs }),
  }));
}

/**
 * The combined Result without maps where every label given was a declared category (`others` is
 * empty, checked per record). `shares` are the categories' probabilities where given; the winner
 * is the category with the greatest `compared` value (its probability where `compared` is not
 * given). It gives what `general` gives from the maps: the greatest (NaN above every number, as
 * a.argmax orders) and, among equal values, the label that appeared first in `order`; the map's
 * keys in the declared order of withZeros, unseen categories at 0. `finish` gets the label, the
 * winning value and the map. Building, reading and copying the maps was about a third of the
 * scoring time of a small voting forest (rattle-RandomForestIris).
 */
function declaredOnly(
  totals: Totals,
  ctx: LowerContext,
  general: Pfa,
  shares: readonly Pfa[],
  compared: readonly Pfa[] | undefined,
  finish: (label: Pfa, bestValue: Ref, probs: Pfa) => Pfa,
): Pfa {
  const { cats, seen, order, others } = totals;
  const probs = cats.map(() => ctx.symbol('p'));
  const [index, bestValue, rank] = [ctx.symbol('best'), ctx.symbol('bestValue'), ctx.symbol('rank')];
  // Each probability once, for the comparison and the map: 0 (as withZeros writes it) where unseen.
  const statements: Pfa[] = cats.map((_, i) => ({ let: { [probs[i]!]: { if: seen[i]!, then: shares[i]!, else: D(0) } } }));
  statements.push({ let: { [index]: -1, [bestValue]: D(0), [rank]: 0 } });
  cats.forEach((cat, i) => {
    const [v, r] = [ctx.symbol('v'), ctx.symbol('r')];
    // PFA's `>` and `==` on doubles order NaN as a.argmax does: above every number, equal to itself.
    const [greater, equal] = [{ '>': [v, bestValue] }, { '==': [v, bestValue] }];
    statements.push({
      if: seen[i]!,
      then: {
        do: [
          { let: { [v]: compared?.[i] ?? probs[i]!, [r]: { 'a.index': [order, lit.string(cat)] } } },
          {
            if: { '||': [{ '<': [index, 0] }, { '||': [greater, { '&&': [equal, { '<': [r, rank] }] }] }] },
            then: { set: { [index]: i, [bestValue]: v, [rank]: r } },
          },
        ],
      },
    });
  });
  const label = cats
    .slice(0, -1)
    .reduceRight<Pfa>((rest, cat, i) => ({ if: { '==': [index, i] }, then: lit.string(cat), else: rest }), lit.string(cats.at(-1)!));
  const map = { type: MAP, new: Object.fromEntries(cats.map((cat, i) => [cat, probs[i]!])) };
  return { if: { '==': [{ 'map.len': [others] }, 0] }, then: { do: [...statements, finish(label, bestValue, map)] }, else: general };
}

/** The numbers probabilityTotals and voteTotals keep: one total and one `seen` flag per declared category. */
interface Totals {
  /** The declared categories, each once. */
  readonly cats: readonly string[];
  readonly totals: readonly Ref[];
  readonly seen: readonly Ref[];
  /** The labels in the order they first appeared (array of strings). */
  readonly order: Ref;
  /** The totals of labels outside the declared categories (map of doubles). */
  readonly others: Ref;
}

/** Declares the totals, at 0, with nothing seen yet. */
function declareTotals(c: Combination, ctx: LowerContext, out: Pfa[]): Totals {
  // A category listed twice would be a second total, which a label would reach (and count in
  // probabilityTotals' `given`) twice.
  const cats = [...new Set(c.categories)];
  const totals = cats.map(() => ctx.symbol('total'));
  const seen = cats.map(() => ctx.symbol('seen'));
  const [order, others] = [ctx.symbol('order'), ctx.symbol('others')];
  out.push({ let: { [order]: { type: STRINGS, value: [] } } }, { let: { [others]: { type: MAP, value: {} } } });
  for (let i = 0; i < cats.length; i++) out.push({ let: { [totals[i]!]: D(0) } }, { let: { [seen[i]!]: false } });
  return { cats, totals, seen, order, others };
}

/** The map of the totals by label, the labels in the order they first appeared, built once. */
function totalsMap({ cats, totals, order, others }: Totals): Pfa {
  const [m, k] = [local('m'), local('k')];
  const totalOf: Pfa = cats.reduceRight<Pfa>((rest, cat, i) => ({ if: { '==': [k, lit.string(cat)] }, then: totals[i]!, else: rest }), {
    attr: others,
    path: [k],
  });
  return {
    'a.fold': [order, { type: MAP, value: {} }, { params: [{ m: MAP }, { k: 'string' }], ret: MAP, do: { 'map.add': [m, k, totalOf] } }],
  };
}

/** Probabilities with the declared categories that got none at 0. */
export function withZeros(c: Pick<Combination, 'categories'>, probs: Pfa): Pfa {
  if (c.categories.length === 0) return probs;
  return { 'map.update': [{ type: MAP, value: Object.fromEntries(c.categories.map((k) => [k, 0])) }, probs] };
}

function countOf(map: Ref, key: Ref): Pfa {
  return { if: { 'map.containsKey': [map, key] }, then: { attr: map, path: [key] }, else: D(0) };
}

/** A segment's probabilities, or probability 1 for its label when it gives none. */
function probsOf(r: SegmentRun, label: Ref): Pfa {
  const probs = member(r.result, 'probs');
  return { if: { '==': [{ 'map.len': [probs] }, 0] }, then: { 'map.add': [{ type: MAP, value: {} }, label, D(1)] }, else: probs };
}

/**
 * average, weightedAverage, sum and weightedSum of probability maps; the label is the most probable.
 * With declared categories, their totals are kept as numbers (probabilityTotals); without, or as
 * the baseline the specs compare it with, the maps are merged (probabilityMaps).
 */
function probabilities(c: Combination, ctx: LowerContext, out: Pfa[]): Pfa {
  return c.categories.length > 0 ? probabilityTotals(c, ctx, out) : probabilityMaps(c, ctx, out);
}

/** Whether the method adds weighted probabilities. */
const isWeighted = (c: Combination): boolean => c.method === 'weightedAverage' || c.method === 'weightedSum';

/**
 * The combined Result from `acc`, the probabilities summed in the order their labels first
 * appeared (that order settles ties), and the tallies.
 */
function fromSums(c: Combination, ctx: LowerContext, t: Tally, acc: Pfa): Pfa {
  const probs =
    c.method === 'sum' || c.method === 'weightedSum'
      ? acc
      : { 'map.map': [acc, { params: [{ p: 'double' }], ret: 'double', do: { '/': [P, t.present] } }] };
  const combined = ctx.symbol('probs');
  return {
    if: giveUp(c, t),
    then: NULL_RESULT,
    else: { do: [{ let: { [combined]: probs } }, result({ label: some(best(combined), 'string'), probs: withZeros(c, combined) })] },
  };
}

/** The baseline: each selected segment's probability map added into one map, key by key. */
export function probabilityMaps(c: Combination, ctx: LowerContext, out: Pfa[]): Pfa {
  const acc = ctx.symbol('acc');
  out.push({ let: { [acc]: { type: MAP, value: {} } } });
  const addTo = addProbs(ctx);
  const t = perSegment(
    c,
    ctx,
    out,
    (r) => member(r.result, 'label'),
    (l, r) => [{ set: { [acc]: { [`u.${addTo}`]: [acc, probsOf(r, l), isWeighted(c) ? r.weight : D(1)] } } }],
  );
  return fromSums(c, ctx, t, acc);
}

/**
 * The same sums as probabilityMaps, each declared category's in a number: a segment adds to each
 * category it gives with two map lookups, where merging its map cost a function call and a copy of
 * the map per key (most of the scoring time of a 31-tree text forest). Each sum is the same
 * additions in the same order, so the results are identical.
 *
 * What the maps did besides summing is kept: the order in which labels first appear (the label of
 * a tie is the first to appear), and labels outside the declared categories. The list of labels in
 * order of appearance grows only in a segment that gives a label not seen before; undeclared labels
 * are summed in a map of their own. The map of sums is built from both at the end, once.
 */
export function probabilityTotals(c: Combination, ctx: LowerContext, out: Pfa[]): Pfa {
  const counters = declareTotals(c, ctx, out);
  const { cats, totals, seen, order, others } = counters;
  const declared = { type: STRINGS, value: cats };
  const t = perSegment(
    c,
    ctx,
    out,
    (r) => member(r.result, 'label'),
    (l, r) => {
      const [p, w, given, fresh] = [ctx.symbol('p'), ctx.symbol('w'), ctx.symbol('given'), ctx.symbol('fresh')];
      const perCategory: Pfa[] = cats.map((k, i) => ({
        if: { 'map.containsKey': [p, lit.string(k)] },
        then: {
          do: [
            { set: { [totals[i]!]: add(totals[i]!, { '*': [w, { attr: p, path: [lit.string(k)] }] }) } },
            { set: { [given]: add(given, 1) } },
            { if: { '!': [seen[i]!] }, then: { set: { [seen[i]!]: true, [fresh]: true } } },
          ],
        },
      }));
      const undeclared = { '<': [given, { 'map.len': [p] }] };
      return [
        { let: { [p]: probsOf(r, l), [w]: isWeighted(c) ? r.weight : D(1), [given]: 0, [fresh]: false } },
        ...perCategory,
        { if: { '||': [fresh, undeclared] }, then: { set: { [order]: { [`u.${appendNew(ctx)}`]: [order, p] } } } },
        {
          if: undeclared,
          then: { set: { [others]: { [`u.${addProbs(ctx)}`]: [others, { 'map.except': [p, declared] }, w] } } },
        },
      ];
    },
  );
  const general = fromSums(c, ctx, t, totalsMap(counters));
  const average = c.method === 'average' || c.method === 'weightedAverage';
  const combined = counters.totals.map((total) => (average ? { '/': [total, t.present] } : total));
  // The winner is the most probable category.
  return declaredOnly(counters, ctx, general, combined, undefined, (label, _best, probs) => ({
    if: giveUp(c, t),
    then: NULL_RESULT,
    else: result({ label: some(label, 'string'), probs }),
  }));
}

/** max for classification: the Result of the segment most confident in its own label. */
function mostConfident(c: Combination, ctx: LowerContext, out: Pfa[]): Pfa {
  const [chosen, confidence] = [ctx.symbol('chosen'), ctx.symbol('confidence')];
  out.push({ let: { [chosen]: NULL_RESULT, [confidence]: D(-1) } });
  const t = perSegment(
    c,
    ctx,
    out,
    (r) => member(r.result, 'label'),
    (l, r) => {
      const p = ctx.symbol('p');
      return [
        { let: { [p]: { attr: probsOf(r, l), path: [l] } } },
        { if: { '>': [p, confidence] }, then: { set: { [chosen]: r.result, [confidence]: p } } },
      ];
    },
  );
  return { if: giveUp(c, t), then: NULL_RESULT, else: chosen };
}

/** The user function adding weighted probabilities into a map (defined once per document). */
function addProbs(ctx: LowerContext): string {
  const name = 'mining_addProbs';
  ctx.fcns[name] ??= {
    params: [{ acc: MAP }, { probs: MAP }, { w: 'double' }],
    ret: MAP,
    do: {
      'a.fold': [
        { 'map.keys': [PROBS] },
        ACC,
        {
          params: [{ m: MAP }, { k: 'string' }],
          ret: MAP,
          do: { 'map.add': [M, K, add(countOf(M, K), { '*': [W, { attr: PROBS, path: [K] }] })] },
        },
      ],
    },
  };
  return name;
}

/** The user function appending the keys of a map that a list does not hold yet, in the map's order. */
function appendNew(ctx: LowerContext): string {
  const name = 'mining_appendNew';
  const [keys, probs, ks, k] = [local('keys'), local('probs'), local('ks'), local('k')];
  ctx.fcns[name] ??= {
    params: [{ keys: STRINGS }, { probs: MAP }],
    ret: STRINGS,
    do: {
      'a.fold': [
        { 'map.keys': [probs] },
        keys,
        {
          params: [{ ks: STRINGS }, { k: 'string' }],
          ret: STRINGS,
          do: { if: { 'a.contains': [ks, k] }, then: ks, else: { 'a.append': [ks, k] } },
        },
      ],
    },
  };
  return name;
}

/**
 * The user function for a weighted median: the smallest value at which the cumulative weight, in
 * increasing order of values, reaches half the total weight.
 */
function weightedMedian(ctx: LowerContext): string {
  const name = 'mining_weightedMedian';
  const at = (arr: Pfa, i: Pfa): Pfa => ({ attr: arr, path: [i] });
  ctx.fcns[name] ??= {
    params: [{ xs: DOUBLES }, { ws: DOUBLES }],
    ret: 'double',
    do: [
      // The indexes of all values, smallest first and equal values in segment order: argminN sorts by
      // the item type's own order instead of calling a PFA comparison per pair, which was most of the
      // scoring time of a boosted ensemble.
      { let: { order: { 'a.argminN': [XS, { 'a.len': [XS] }] } } },
      { let: { half: { '*': [{ 'a.sum': [WS] }, D(0.5)] } } },
      { let: { cum: at(WS, at(ORDER, 0)), k: 0 } },
      {
        while: { '&&': [{ '<': [CUM, HALF] }, { '<': [K, { '-': [{ 'a.len': [XS] }, 1] }] }] },
        do: [{ set: { k: add(K, 1) } }, { set: { cum: add(CUM, at(WS, at(ORDER, K))) } }],
      },
      at(XS, at(ORDER, K)),
    ],
  };
  return name;
}
