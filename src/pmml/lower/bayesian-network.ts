/**
 * BayesianNetworkModel: the posterior of the target node given the evidence, by exact enumeration.
 *
 * The joint distribution is the product over nodes of P(node | parents). Discrete nodes hold a
 * probability table per configuration of their parents (ValueProbability for a root node,
 * DiscreteConditionalProbability with ParentValue otherwise). Continuous nodes hold a
 * distribution (Normal, Lognormal, Uniform, Triangular) per configuration of their discrete
 * parents (ContinuousConditionalProbability with ParentValue), whose parameters are expressions
 * that may refer to continuous parents by FieldRef (a linear Gaussian's mean, say).
 *
 * A node is evidence when a field of its name is visible to the model (an input, a
 * LocalTransformations field or one of the nodes' own DerivedFields) and it is not the target; a
 * missing value leaves it unobserved. Every joint state of the discrete nodes is enumerated at
 * scoring time (at most MAX_STATES of them, checked at load): its weight is the product of the
 * discrete tables (precomputed, a cell) and of the densities of the observed continuous nodes; states
 * that contradict an observed discrete node are skipped. A classification's probabilities are the
 * normalised weights per target category; a regression (continuous target) predicts the posterior
 * mean of the target, the weighted mean of its conditional expectations.
 *
 * Unobserved continuous nodes are integrated out, which is exact only when no other node depends
 * on them: a continuous node that can never be observed but has children is reported at load, and
 * one that is missing from the record gives no prediction when a child of it is observed. Discrete nodes that are never
 * observed and have no children are dropped first (they sum to one). No prediction either when the
 * evidence is impossible (every weight 0), a distribution's parameters are missing or out of range
 * (variance <= 0, upper <= lower, a triangular mode outside [lower, upper]), or an observed
 * discrete value is none of the node's values.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, NULL_RESULT, type Scope, lit, parseNumber, result, type FieldInfo } from './context.js';
import { local, type Pfa, type Ref } from './builder.js';
import { lowerExpression } from './expression.js';
import { expressionChild } from './lowered.js';
import { transformations } from './fields.js';
import { convertValue } from './lowered.js';
import { classified } from './categories.js';
import type { FamilyLowering } from './family.js';

/** The most joint states of the discrete nodes enumerated per record. */
export const MAX_STATES = 10_000;

const DOUBLES = { type: 'array', items: 'double' };
const INTS = { type: 'array', items: 'int' };
const SEP = '\u0000';

type Kind = 'normal' | 'lognormal' | 'uniform' | 'triangular';
const DISTRIBUTIONS: Record<string, { kind: Kind; params: readonly string[] }> = {
  NormalDistributionForBN: { kind: 'normal', params: ['Mean', 'Variance'] },
  LognormalDistributionForBN: { kind: 'lognormal', params: ['Mean', 'Variance'] },
  UniformDistributionForBN: { kind: 'uniform', params: ['Lower', 'Upper'] },
  TriangularDistributionForBN: { kind: 'triangular', params: ['Mean', 'Lower', 'Upper'] },
};

interface Distribution {
  readonly el: XmlElement;
  readonly kind: Kind;
  /** The parameter expressions, in DISTRIBUTIONS order. */
  readonly params: readonly XmlElement[];
}

interface DiscreteNode {
  readonly kind: 'discrete';
  readonly el: XmlElement;
  readonly name: string;
  readonly values: readonly string[];
  /** Discrete parents, in the order of the table keys. */
  readonly parents: readonly string[];
  /** Parent values joined by SEP -> probability per value. */
  readonly table: ReadonlyMap<string, readonly number[]>;
}

interface ContinuousNode {
  readonly kind: 'continuous';
  readonly el: XmlElement;
  readonly name: string;
  /** Discrete parents (ParentValue), in the order of the keys. */
  readonly parents: readonly string[];
  /** Continuous parents: the nodes the parameter expressions refer to. */
  readonly fieldParents: readonly string[];
  readonly keys: ReadonlyMap<string, number>;
  readonly distributions: readonly Distribution[];
}

type Node = DiscreteNode | ContinuousNode;

/** The ParentValues of a conditional table: parent -> value, in document order. */
function parentValues(el: XmlElement, ctx: LowerContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const pv of childrenNamed(el, 'ParentValue')) {
    const parent = ctx.attr(pv, 'parent');
    if (out.has(parent)) ctx.fail(pv, 'pmml-invalid', `parent ${parent} is given twice`);
    out.set(parent, ctx.attr(pv, 'value'));
  }
  return out;
}

/** Conditional tables keyed by their parents' values, all naming the same parents. */
function keyed<T>(
  tables: readonly XmlElement[],
  ctx: LowerContext,
  read: (el: XmlElement) => T,
): { parents: string[]; entries: [string, T, XmlElement][] } {
  const first = tables[0] ? [...parentValues(tables[0], ctx).keys()] : [];
  const seen = new Set<string>();
  const entries = tables.map((t): [string, T, XmlElement] => {
    const pv = parentValues(t, ctx);
    if (pv.size !== first.length || first.some((p) => !pv.has(p)))
      ctx.fail(t, 'pmml-invalid', `every conditional table of a node must name the same parents (${first.join(', ')})`);
    const key = first.map((p) => pv.get(p)!).join(SEP);
    if (seen.has(key)) ctx.fail(t, 'pmml-invalid', 'two conditional tables for the same parent values');
    seen.add(key);
    return [key, read(t), t];
  });
  return { parents: first, entries };
}

function discreteNode(el: XmlElement, ctx: LowerContext): DiscreteNode {
  const name = ctx.attr(el, 'name');
  const conditional = childrenNamed(el, 'DiscreteConditionalProbability');
  const root = childrenNamed(el, 'ValueProbability');
  if (conditional.length && root.length)
    ctx.unsupported(el, 'a DiscreteNode with both ValueProbability and DiscreteConditionalProbability');
  if (!conditional.length && !root.length) ctx.fail(el, 'pmml-invalid', `DiscreteNode ${name} has no probabilities`);
  const rows = (t: XmlElement) =>
    new Map(childrenNamed(t, 'ValueProbability').map((vp) => [ctx.attr(vp, 'value'), ctx.number(vp, 'probability')] as const));
  const { parents, entries } = conditional.length
    ? keyed(conditional, ctx, rows)
    : { parents: [], entries: [['', rows(el), el] as [string, Map<string, number>, XmlElement]] };
  // The node's values in the order they first appear; a value a table does not list has probability 0.
  const values = [...new Set(entries.flatMap(([, r]) => [...r.keys()]))];
  return { kind: 'discrete', el, name, values, parents, table: new Map(entries.map(([k, r]) => [k, values.map((v) => r.get(v) ?? 0)])) };
}

/** FieldRef names anywhere under `el`. */
function fieldRefs(el: XmlElement, out: Set<string> = new Set()): Set<string> {
  if (el.name === 'FieldRef' && el.attrs.field !== undefined) out.add(el.attrs.field);
  for (const c of el.children) fieldRefs(c, out);
  return out;
}

function distribution(holder: XmlElement, ctx: LowerContext): Distribution {
  const all = childrenNamed(holder, 'ContinuousDistribution');
  if (all.length !== 1) ctx.unsupported(holder, `${all.length} ContinuousDistributions in one ${holder.name} (a mixture)`);
  const cd = all[0]!;
  const el = cd.children.find((c) => c.name !== 'Extension') ?? ctx.fail(cd, 'pmml-invalid', 'ContinuousDistribution has no distribution');
  const spec = DISTRIBUTIONS[el.name] ?? ctx.unsupported(el, `distribution ${el.name}`);
  const params = spec.params.map((p) => {
    const holder = child(el, p) ?? ctx.fail(el, 'pmml-invalid', `${el.name} needs ${p}`);
    return expressionChild(holder) ?? ctx.fail(holder, 'pmml-invalid', `${p} has no expression`);
  });
  return { el, kind: spec.kind, params };
}

function continuousNode(el: XmlElement, ctx: LowerContext): ContinuousNode {
  const name = ctx.attr(el, 'name');
  const conditional = childrenNamed(el, 'ContinuousConditionalProbability');
  if (conditional.length && childrenNamed(el, 'ContinuousDistribution').length)
    ctx.unsupported(el, 'a ContinuousNode with both ContinuousDistribution and ContinuousConditionalProbability');
  const { parents, entries } = conditional.length
    ? keyed(conditional, ctx, (t) => distribution(t, ctx))
    : { parents: [], entries: [['', distribution(el, ctx), el] as [string, Distribution, XmlElement]] };
  const refs = new Set<string>();
  for (const [, d] of entries) for (const p of d.params) fieldRefs(p, refs);
  for (const d of childrenNamed(el, 'DerivedField')) fieldRefs(d, refs);
  refs.delete(name);
  return {
    kind: 'continuous',
    el,
    name,
    parents,
    fieldParents: [...refs],
    keys: new Map(entries.map(([k], i) => [k, i])),
    distributions: entries.map(([, d]) => d),
  };
}

/** Checks the parents of every node and that the graph has no cycle. */
function checkGraph(nodes: ReadonlyMap<string, Node>, ctx: LowerContext): void {
  for (const n of nodes.values()) {
    for (const p of n.parents) {
      const parent = nodes.get(p) ?? ctx.fail(n.el, 'pmml-invalid', `node ${n.name} has an unknown parent ${p}`);
      if (parent.kind !== 'discrete')
        ctx.unsupported(n.el, `ParentValue of continuous node ${p} (a continuous parent enters through the distribution's expressions)`);
    }
    if (n.kind === 'discrete') {
      for (const [key] of n.table) {
        key.split(SEP).forEach((v, i) => {
          if (n.parents.length && !(nodes.get(n.parents[i]!) as DiscreteNode).values.includes(v))
            ctx.fail(n.el, 'pmml-invalid', `parent ${n.parents[i]} of ${n.name} has no value ${JSON.stringify(v)}`);
        });
      }
    } else {
      for (const p of n.fieldParents) {
        const parent = nodes.get(p);
        if (parent?.kind === 'discrete')
          ctx.unsupported(n.el, `a distribution parameter referring to discrete node ${p} (condition on it with ParentValue)`);
      }
    }
  }
  const state = new Map<string, 'open' | 'done'>();
  const visit = (n: Node): void => {
    if (state.get(n.name) === 'done') return;
    if (state.get(n.name) === 'open') ctx.fail(n.el, 'pmml-invalid', `the network has a cycle through ${n.name}`);
    state.set(n.name, 'open');
    for (const p of parentsOf(n)) if (nodes.has(p)) visit(nodes.get(p)!);
    state.set(n.name, 'done');
  };
  for (const n of nodes.values()) visit(n);
}

function parentsOf(n: Node): readonly string[] {
  return n.kind === 'discrete' ? n.parents : [...n.parents, ...n.fieldParents];
}

/** A user function `(x, params...) -> double` for one distribution: its density or its mean; NaN for bad parameters. */
function distributionFunction(kind: Kind, what: 'density' | 'mean', ctx: LowerContext): string {
  const name = `bn_${what}_${kind}`;
  if (ctx.fcns[name]) return name;
  const nan = lit.double(NaN);
  const sq = (e: Pfa): Pfa => ({ '*': [e, e] });
  const gauss = (z: Pfa, v: Ref): Pfa => ({ 'm.exp': [{ '/': [{ '-': [0, sq(z)] }, { '*': [2, v] }] }] });
  const root2pi = (v: Ref): Pfa => ({ 'm.sqrt': [{ '*': [2 * Math.PI, v] }] });
  let params: string[];
  let valid: Pfa;
  let body: Pfa;
  switch (kind) {
    case 'normal':
      params = ['m', 'v'];
      valid = { '>': [local('v'), 0] };
      body = what === 'mean' ? local('m') : { '/': [gauss({ '-': [local('x'), local('m')] }, local('v')), root2pi(local('v'))] };
      break;
    case 'lognormal':
      // Mean and Variance are those of ln x.
      params = ['m', 'v'];
      valid = { '>': [local('v'), 0] };
      body =
        what === 'mean'
          ? { 'm.exp': [{ '+': [local('m'), { '/': [local('v'), 2] }] }] }
          : {
              if: { '>': [local('x'), 0] },
              then: {
                '/': [gauss({ '-': [{ 'm.ln': [local('x')] }, local('m')] }, local('v')), { '*': [local('x'), root2pi(local('v'))] }],
              },
              else: { double: 0 },
            };
      break;
    case 'uniform':
      params = ['l', 'u'];
      valid = { '>': [local('u'), local('l')] };
      body =
        what === 'mean'
          ? { '/': [{ '+': [local('l'), local('u')] }, 2] }
          : {
              if: { '&&': [{ '>=': [local('x'), local('l')] }, { '<=': [local('x'), local('u')] }] },
              then: { '/': [1, { '-': [local('u'), local('l')] }] },
              else: { double: 0 },
            };
      break;
    case 'triangular': {
      // Mean is the distribution's mean, (lower + mode + upper) / 3.
      params = ['m', 'l', 'u'];
      const c = { '-': [{ '-': [{ '*': [3, local('m')] }, local('l')] }, local('u')] };
      valid = { '&&': [{ '>': [local('u'), local('l')] }, { '&&': [{ '>=': [c, local('l')] }, { '<=': [c, local('u')] }] }] };
      const width = { '-': [local('u'), local('l')] };
      body =
        what === 'mean'
          ? local('m')
          : {
              do: [
                { let: { c } },
                {
                  cond: [
                    { if: { '||': [{ '<': [local('x'), local('l')] }, { '>': [local('x'), local('u')] }] }, then: { double: 0 } },
                    {
                      if: { '<': [local('x'), local('c')] },
                      then: { '/': [{ '*': [2, { '-': [local('x'), local('l')] }] }, { '*': [width, { '-': [local('c'), local('l')] }] }] },
                    },
                    { if: { '==': [local('x'), local('c')] }, then: { '/': [2, width] } },
                  ],
                  else: { '/': [{ '*': [2, { '-': [local('u'), local('x')] }] }, { '*': [width, { '-': [local('u'), local('c')] }] }] },
                },
              ],
            };
      break;
    }
  }
  ctx.fcns[name] = {
    params: [...(what === 'density' ? ['x'] : []), ...params].map((p) => ({ [p]: 'double' })),
    ret: 'double',
    do: { if: valid, then: body, else: nan },
  };
  return name;
}

/**
 * An array<double>, one entry per distribution of `node`: each one's density at `x` (a present
 * double symbol), or its mean when `x` is undefined; NaN when a parameter is missing, which makes
 * any total it enters NaN, and so no prediction.
 */
function perDistribution(node: ContinuousNode, x: Ref | undefined, ctx: LowerContext, scope: Scope): Pfa {
  return {
    type: DOUBLES,
    new: node.distributions.map((d) => {
      const fcn = distributionFunction(d.kind, x === undefined ? 'mean' : 'density', ctx);
      const vars = d.params.map(() => ctx.symbol('p'));
      const values = d.params.map((p) => convertValue(lowerExpression(p, ctx, scope), 'double', ctx));
      return {
        ifnotnull: Object.fromEntries(vars.map((v, i) => [v, values[i]])),
        then: { [`u.${fcn}`]: [...(x === undefined ? [] : [x]), ...vars] },
        else: lit.double(NaN),
      };
    }),
  };
}

/** The node's values as literals of the evidence field's type. */
function valueLiterals(node: DiscreteNode, field: FieldInfo, ctx: LowerContext): Pfa {
  const values = node.values.map((v) => {
    if (field.type === 'string') return v;
    if (field.type === 'boolean') return ctx.boolean(node.el, v);
    return (
      parseNumber(v) ?? ctx.fail(node.el, 'pmml-invalid', `node ${node.name} has the value ${JSON.stringify(v)} but its field is numeric`)
    );
  });
  return { type: { type: 'array', items: field.type }, value: values };
}

export const lowerBayesianNetwork: FamilyLowering = (model, ctx, scope) => {
  const container =
    child(model, 'BayesianNetworkNodes') ?? ctx.fail(model, 'pmml-invalid', 'BayesianNetworkModel has no BayesianNetworkNodes');
  const statements: Pfa[] = [];
  const nodes = new Map<string, Node>();
  for (const el of container.children) {
    if (el.name !== 'DiscreteNode' && el.name !== 'ContinuousNode') continue;
    const node = el.name === 'DiscreteNode' ? discreteNode(el, ctx) : continuousNode(el, ctx);
    if (nodes.has(node.name)) ctx.fail(el, 'pmml-invalid', `two nodes named ${node.name}`);
    nodes.set(node.name, node);
    // A node's DerivedFields join the scope like LocalTransformations: evidence and parameters may use them.
    statements.push(...transformations(el, ctx, scope));
  }
  checkGraph(nodes, ctx);

  const targets = childrenNamed(child(model, 'MiningSchema')!, 'MiningField').filter(
    (m) => m.attrs.usageType === 'target' || m.attrs.usageType === 'predicted',
  );
  if (targets.length !== 1) ctx.unsupported(model, `a BayesianNetworkModel with ${targets.length} target fields (one is predicted)`);
  const target = ctx.attr(targets[0]!, 'name');
  const targetNode = nodes.get(target) ?? ctx.fail(targets[0]!, 'pmml-invalid', `the target ${target} is not a node of the network`);
  const observable = (n: Node) => n !== targetNode && scope.get(n.name) !== undefined;
  const childrenOf = (name: string, among: ReadonlyMap<string, Node>) => [...among.values()].filter((n) => parentsOf(n).includes(name));

  // Nodes never observed and without children sum (or integrate) to one: dropped, leaves first.
  const kept = new Map(nodes);
  for (let changed = true; changed; ) {
    changed = false;
    for (const n of kept.values()) {
      if (n !== targetNode && !observable(n) && childrenOf(n.name, kept).length === 0) {
        kept.delete(n.name);
        changed = true;
      }
    }
  }
  for (const n of kept.values()) {
    if (n.kind === 'continuous' && n !== targetNode && !observable(n))
      ctx.unsupported(n.el, `continuous node ${n.name}, never observed, with children (it cannot be integrated out exactly)`);
  }
  if (targetNode.kind === 'continuous' && childrenOf(targetNode.name, kept).length)
    ctx.unsupported(targetNode.el, `a continuous target ${targetNode.name} with children`);
  if ((targetNode.kind === 'discrete') === (model.attrs.functionName === 'regression'))
    ctx.fail(
      model,
      'pmml-invalid',
      `functionName ${model.attrs.functionName} does not fit the ${targetNode.kind} target ${targetNode.name}`,
    );

  // The enumerated discrete nodes, the target first, so that states come grouped by target value.
  const discrete = [...kept.values()]
    .filter((n): n is DiscreteNode => n.kind === 'discrete')
    .sort((a, b) => (a === targetNode ? -1 : b === targetNode ? 1 : 0));
  const states = discrete.reduce((s, n) => s * n.values.length, 1);
  if (states > MAX_STATES) ctx.unsupported(model, `a network of ${states} joint discrete states (the enumeration limit is ${MAX_STATES})`);
  const position = new Map(discrete.map((n, i) => [n.name, i]));
  const strides = discrete.map((_, i) => discrete.slice(i + 1).reduce((s, n) => s * n.values.length, 1));
  const assignment = (a: number) => discrete.map((n, i) => Math.floor(a / strides[i]!) % n.values.length);
  const keyOf = (parents: readonly string[], row: readonly number[]) =>
    parents.map((p) => (nodes.get(p) as DiscreteNode).values[row[position.get(p)!]!]).join(SEP);

  const joint: number[] = [];
  const rows = Array.from({ length: states }, (_, a) => assignment(a));
  for (const row of rows) {
    let p = 1;
    discrete.forEach((n, i) => {
      const probs =
        n.table.get(keyOf(n.parents, row)) ??
        ctx.fail(
          n.el,
          'pmml-invalid',
          `node ${n.name} has no probabilities for parent values ${keyOf(n.parents, row).split(SEP).join(', ')}`,
        );
      p *= probs[row[i]!]!;
    });
    joint.push(p);
  }
  const jointCell = ctx.symbol('bn_joint');
  ctx.cells[jointCell] = { type: DOUBLES, init: joint };

  const ok = ctx.symbol('ok');
  statements.push({ let: { [ok]: true } });
  const a = ctx.symbol('a');
  const conditions: Pfa[] = [];
  const factors: Pfa[] = [{ cell: jointCell, path: [a] }];

  // Observed discrete nodes: the value's index, -1 when missing, -2 for a value the node does not have.
  // (A let's expression may not modify outer symbols: `ok` is cleared by a statement of its own.)
  for (const n of discrete) {
    if (!observable(n)) continue;
    const field = scope.get(n.name)!;
    const [v, k, ev, column] = [ctx.symbol('v'), ctx.symbol('k'), ctx.symbol(`ev_${n.name}`), ctx.symbol(`bn_${n.name}`)];
    ctx.cells[column] = { type: INTS, init: rows.map((r) => r[position.get(n.name)!]) };
    statements.push({
      let: {
        [ev]: {
          ifnotnull: { [v]: field.symbol },
          then: { do: [{ let: { [k]: { 'a.index': [valueLiterals(n, field, ctx), v] } } }, { if: { '<': [k, 0] }, then: -2, else: k }] },
          else: -1,
        },
      },
    });
    statements.push({ if: { '==': [ev, -2] }, then: [{ set: { [ok]: false } }] });
    conditions.push({ '||': [{ '<': [ev, 0] }, { '==': [{ cell: column, path: [a] }, ev] }] });
  }

  // The distribution each continuous node takes in each state.
  const choice = (n: ContinuousNode): Pfa => {
    if (n.parents.length === 0) return 0;
    const cell = ctx.symbol(`bn_${n.name}_distribution`);
    ctx.cells[cell] = {
      type: INTS,
      init: rows.map(
        (row) =>
          n.keys.get(keyOf(n.parents, row)) ??
          ctx.fail(
            n.el,
            'pmml-invalid',
            `node ${n.name} has no distribution for parent values ${keyOf(n.parents, row).split(SEP).join(', ')}`,
          ),
      ),
    };
    return { cell, path: [a] };
  };
  for (const n of kept.values()) {
    if (n.kind !== 'continuous' || n === targetNode) continue;
    const field = scope.get(n.name)!;
    const [x, dens] = [ctx.symbol('x'), ctx.symbol(`dens_${n.name}`)];
    // Unobserved, it integrates to one; a present child then misses a parameter (NaN, no prediction).
    const ones = { type: DOUBLES, value: n.distributions.map(() => 1) };
    const present = convertValue({ pfa: field.symbol, type: field.type }, 'double', ctx);
    statements.push({ let: { [dens]: { ifnotnull: { [x]: present }, then: perDistribution(n, x, ctx, scope), else: ones } } });
    factors.push({ attr: dens, path: [choice(n)] });
  }

  const weight = factors.reduce((p, f) => ({ '*': [p, f] }));
  const consistent = conditions.length ? conditions.reduce((p, c) => ({ '&&': [p, c] })) : true;
  const [s, total] = [ctx.symbol('s'), ctx.symbol('total')];
  let enumeration: Pfa[];
  if (targetNode.kind === 'discrete') {
    const labels = targetNode.values;
    const per = states / labels.length;
    const [j, b, probs] = [ctx.symbol('j'), ctx.symbol('b'), ctx.symbol('probs')];
    enumeration = [
      { let: { [probs]: { type: DOUBLES, value: [] } } },
      {
        for: { [j]: 0 },
        while: { '<': [j, labels.length] },
        step: { [j]: { '+': [j, 1] } },
        do: [
          { let: { [s]: { double: 0 } } },
          {
            for: { [b]: 0 },
            while: { '<': [b, per] },
            step: { [b]: { '+': [b, 1] } },
            do: [{ let: { [a]: { '+': [{ '*': [j, per] }, b] } } }, { if: consistent, then: [{ set: { [s]: { '+': [s, weight] } } }] }],
          },
          { set: { [probs]: { 'a.append': [probs, s] } } },
        ],
      },
      { let: { [total]: { 'a.sum': [probs] } } },
      // NaN (bad or missing parameters) must be tested apart: PFA orders NaN above every number.
      {
        if: { '&&': [{ '!': [{ 'impute.isnan': [total] }] }, { '>': [total, 0] }] },
        then: [{ set: { [probs]: { 'la.scale': [probs, { '/': [1, total] }] } } }, classified(labels, probs)],
        else: NULL_RESULT,
      },
    ];
  } else {
    const means = ctx.symbol('means');
    statements.push({ let: { [means]: perDistribution(targetNode, undefined, ctx, scope) } });
    const expected = { attr: means, path: [choice(targetNode)] };
    const [w, sum] = [ctx.symbol('w'), ctx.symbol('sum')];
    enumeration = [
      { let: { [total]: { double: 0 }, [sum]: { double: 0 } } },
      {
        for: { [a]: 0 },
        while: { '<': [a, states] },
        step: { [a]: { '+': [a, 1] } },
        do: [
          {
            if: consistent,
            then: [{ let: { [w]: weight } }, { set: { [total]: { '+': [total, w] }, [sum]: { '+': [sum, { '*': [w, expected] }] } } }],
          },
        ],
      },
      { let: { [w]: { '/': [sum, total] } } },
      {
        if: { '&&': [{ '>': [total, 0] }, { '!': [{ 'impute.isnan': [w] }] }] },
        then: result({ number: { upcast: w, as: ['null', 'double'] } }),
        else: NULL_RESULT,
      },
    ];
  }
  statements.push({ if: ok, then: enumeration, else: NULL_RESULT });
  return statements;
};
