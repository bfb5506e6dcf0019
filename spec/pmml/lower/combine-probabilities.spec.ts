/**
 * Averages and sums of probability maps, and majority votes (src/pmml/lower/combine.ts): the totals
 * kept per declared category (probabilityTotals, voteTotals) against the maps of the baselines
 * (probabilityMaps, voteMaps). Random segment Results (labels, probability maps in any key order,
 * labels outside the declared categories, empty maps, missing predictions, unselected segments,
 * weights) are combined both ways and scored with both backends: label, probabilities and their
 * key order must be identical.
 */
import { describe, expect, it } from 'vitest';
import { loadPfa, loadPmml } from '../../../src/index.js';
import type { PfaEngine } from '../../../src/pfa/engine.js';
import { local, member, type Pfa, type Ref } from '../../../src/pmml/lower/builder.js';
import {
  type Combination,
  probabilityMaps,
  probabilityTotals,
  type SegmentRun,
  type Treatment,
  voteMaps,
  voteTotals,
} from '../../../src/pmml/lower/combine.js';
import { LowerContext, RESULT_TYPE, result } from '../../../src/pmml/lower/context.js';
import { child, parseXml } from '../../../src/pmml/xml.js';
import { seededRandom } from '../../helpers/random.js';

const LABELS = ['a', 'b', 'c', 'd', 'e'];
const METHODS = ['average', 'weightedAverage', 'sum', 'weightedSum'];
const VOTES = ['majorityVote', 'weightedMajorityVote'];
const TREATMENTS: Treatment[] = ['returnMissing', 'skipSegment', 'continue'];
/** Few distinct values, so that sums tie; 0.1 and 0.2 so that the order of additions shows. */
const PROBS = [0, 0.1, 0.2, 0.25, 0.5, 1];
/** NaN too: a.argmax and a.max take NaN as the greatest value, which the totals' own comparison must do as well. */
const WEIGHTS = [-1, 0, 0.5, 1, 3, NaN];

type Lower = (c: Combination, ctx: LowerContext, out: Pfa[]) => Pfa;

interface Shape {
  readonly segments: number;
  readonly method: string;
  readonly treatment: Treatment;
  readonly threshold: number;
  readonly categories: readonly string[];
  /** Which segments run only when their input says so. */
  readonly conditional: readonly boolean[];
}

/** A document whose input holds each segment's label, probabilities, selection and weight, and whose output is the combined Result. */
function documentOf(shape: Shape, lower: Lower): object {
  const ctx = new LowerContext();
  const input = local('input');
  const element = child(parseXml('<PMML><Segmentation/></PMML>'), 'Segmentation')!;
  const out: Pfa[] = [];
  const fields: object[] = [];
  const runs: SegmentRun[] = [];
  for (let i = 0; i < shape.segments; i++) {
    fields.push(
      { name: `label${i}`, type: ['null', 'string'] },
      { name: `probs${i}`, type: { type: 'map', values: 'double' } },
      { name: `selected${i}`, type: 'boolean' },
      { name: `weight${i}`, type: 'double' },
    );
    const segment: Ref = ctx.symbol('segment');
    out.push({ let: { [segment]: result({ label: member(input, `label${i}`), probs: member(input, `probs${i}`) }) } });
    runs.push({
      selected: shape.conditional[i] ? member(input, `selected${i}`) : true,
      result: segment,
      weight: member(input, `weight${i}`),
      functionName: 'classification',
      element,
    });
  }
  const combination: Combination = {
    method: shape.method,
    runs,
    functionName: 'classification',
    treatment: shape.treatment,
    threshold: shape.threshold,
    categories: shape.categories,
    float: false,
    start: 0,
    element,
  };
  const combined = lower(combination, ctx, out);
  return {
    input: { type: 'record', name: 'Input', fields },
    output: RESULT_TYPE,
    action: [...out, combined],
    fcns: ctx.fcns,
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function shuffled<T>(r: () => number, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function twiceSometimes(r: () => number, xs: string[]): string[] {
  return r() < 0.2 ? [...xs, xs[0]!] : xs;
}

function randomShape(r: () => number, methods: readonly string[]): Shape {
  const segments = 1 + Math.floor(r() * 6);
  return {
    segments,
    method: pick(r, methods),
    treatment: pick(r, TREATMENTS),
    threshold: pick(r, [0, 0.3, 0.5, 1]),
    // A nonempty subset, in any order: the labels left out are undeclared. Sometimes one is listed
    // twice, as a DataField may list a Value twice.
    categories: twiceSometimes(r, shuffled(r, LABELS).slice(0, 1 + Math.floor(r() * LABELS.length))),
    conditional: Array.from({ length: segments }, () => r() < 0.3),
  };
}

function randomRecord(r: () => number, shape: Shape): Record<string, unknown> {
  const rec: Record<string, unknown> = {};
  for (let i = 0; i < shape.segments; i++) {
    const k = r();
    // Mostly labels drawn from the declared categories, sometimes from all labels.
    const pool = r() < 0.7 ? shape.categories : LABELS;
    rec[`label${i}`] = k < 0.1 ? null : pick(r, pool);
    const keys = k < 0.25 ? [] : shuffled(r, pool).slice(0, 1 + Math.floor(r() * pool.length));
    rec[`probs${i}`] = new Map(keys.map((key) => [key, pick(r, PROBS)]));
    rec[`selected${i}`] = r() < 0.7;
    rec[`weight${i}`] = pick(r, WEIGHTS);
  }
  return rec;
}

/** A Result with its probabilities as entries, so that their order is compared too. */
function plain(x: unknown): unknown {
  const res = x as { label: unknown; number: unknown; probs: Map<string, number> };
  return { label: res.label, number: res.number, probs: [...res.probs.entries()] };
}

/**
 * Combines random Results of random shapes with `baseline` and `totals`, each on both backends,
 * and expects the same Results; returns how many were compared and how many had a label outside
 * the declared categories.
 */
function compareLowerings(
  seed: number,
  methods: readonly string[],
  baseline: Lower,
  totals: Lower,
): { compared: number; undeclared: number } {
  const r = seededRandom(seed);
  let compared = 0;
  let undeclared = 0;
  for (let doc = 0; doc < 60; doc++) {
    const shape = randomShape(r, methods);
    const engines: PfaEngine[] = [];
    for (const lower of [baseline, totals])
      for (const backend of ['specialized', 'closures'] as const) engines.push(loadPfa(documentOf(shape, lower), { backend }));
    for (let n = 0; n < 40; n++) {
      const rec = randomRecord(r, shape);
      const [expected, ...others] = engines.map((e) => plain(e.action(rec)));
      for (const o of others) expect(o, `document ${doc} record ${n}`).toEqual(expected);
      const probs = (expected as { probs: [string, number][] }).probs;
      if (probs.some(([k]) => !shape.categories.includes(k))) undeclared++;
      compared++;
    }
  }
  return { compared, undeclared };
}

describe('probability totals per declared category', () => {
  it('give the same Results as merging the maps, key order and ties included, on both backends', () => {
    const { compared, undeclared } = compareLowerings(20261206, METHODS, probabilityMaps, probabilityTotals);
    expect(compared).toBe(2400);
    // The draws reach the undeclared-label path, not only the declared one.
    expect(undeclared).toBeGreaterThan(50);
    // And the declared-only finish, without maps.
    expect(compared - undeclared).toBeGreaterThan(1000);
  });
});

describe('vote totals per declared category', () => {
  it('give the same Results as counting votes in a map, key order and ties included, on both backends', () => {
    const { compared, undeclared } = compareLowerings(20261207, VOTES, voteMaps, voteTotals);
    expect(compared).toBe(2400);
    expect(undeclared).toBeGreaterThan(50);
    expect(compared - undeclared).toBeGreaterThan(1000);
  });

  it('a NaN total wins, as a.argmax orders NaN above every number', () => {
    // Few random records reach it: a NaN weight makes the share of missing votes NaN, which PFA's
    // `>` also takes as above the threshold, so the vote gives up unless missing votes do not count.
    const shape: Shape = {
      segments: 3,
      method: 'weightedMajorityVote',
      treatment: 'returnMissing',
      threshold: 1,
      categories: ['a', 'b'],
      conditional: [false, false, false],
    };
    // Segment i's label, probabilities, selection and weight, as documentOf reads them.
    const rec = {
      label0: 'a',
      probs0: new Map(),
      selected0: true,
      weight0: 1,
      label1: 'b',
      probs1: new Map(),
      selected1: true,
      weight1: NaN,
      label2: 'a',
      probs2: new Map(),
      selected2: true,
      weight2: 2,
    };
    for (const lower of [voteMaps, voteTotals])
      for (const backend of ['specialized', 'closures'] as const)
        expect((loadPfa(documentOf(shape, lower), { backend }).action(rec) as { label: unknown }).label, `${lower.name} ${backend}`).toBe(
          'b',
        );
  });
});

describe('average of probabilities in a MiningModel with declared categories', () => {
  const header = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';
  const dictionary = `<DataDictionary>
  <DataField name="a" optype="continuous" dataType="double"/>
  <DataField name="c" optype="categorical" dataType="string"><Value value="p"/><Value value="q"/></DataField>
</DataDictionary>`;
  /** A one-leaf tree with the given distribution (value, recordCount pairs in document order). */
  const tree = (dist: [string, number][]) => `<TreeModel functionName="classification"><MiningSchema><MiningField name="a"/></MiningSchema>
    <Node score="${dist[0]![0]}"><True/>${dist.map(([v, n]) => `<ScoreDistribution value="${v}" recordCount="${n}"/>`).join('')}</Node></TreeModel>`;
  const doc = (...trees: string[]) => `${header}${dictionary}<MiningModel functionName="classification">
  <MiningSchema><MiningField name="a"/><MiningField name="c" usageType="target"/></MiningSchema>
  <Output><OutputField name="P_p" feature="probability" value="p" dataType="double"/><OutputField name="P_q" feature="probability" value="q" dataType="double"/>
  <OutputField name="P_z" feature="probability" value="z" dataType="double"/></Output>
  <Segmentation multipleModelMethod="average">${trees.map((t) => `<Segment><True/>${t}</Segment>`).join('')}</Segmentation></MiningModel></PMML>`;

  it('a tie goes to the label that appeared first, not the first declared', () => {
    const m = loadPmml(
      doc(
        tree([
          ['q', 1],
          ['p', 1],
        ]),
        tree([
          ['p', 1],
          ['q', 1],
        ]),
      ),
    );
    expect(m.score({ a: 0 })).toEqual({ c: 'q', P_p: 0.5, P_q: 0.5, P_z: null });
  });

  it('a label outside the declared categories is averaged and can win', () => {
    const m = loadPmml(
      doc(
        tree([
          ['z', 3],
          ['p', 1],
        ]),
        tree([
          ['p', 1],
          ['z', 1],
        ]),
      ),
    );
    // z: (0.75 + 0.5) / 2, p: (0.25 + 0.5) / 2, q: declared, never given.
    expect(m.score({ a: 0 })).toEqual({ c: 'z', P_p: 0.375, P_q: 0, P_z: 0.625 });
  });
});
