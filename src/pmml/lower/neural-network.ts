/**
 * NeuralNetwork: the NeuralInputs' expressions make the input vector; each NeuralLayer is a matrix
 * of weights and a bias per neuron (a cell, applied with `model.reg.linear`), then the layer's
 * activation function and normalizationMethod (each defaulting to the network's). NeuralOutputs
 * read neurons: a NormDiscrete names the category whose probability a neuron gives, a FieldRef or
 * NormContinuous the (denormalised) predicted value. A missing input makes the prediction missing.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, NULL_RESULT, type Scope, result } from './context.js';
import { member, type Pfa, type Ref } from './builder.js';
import { lowerExpression } from './expression.js';
import { expressionChild } from './lowered.js';
import { convertValue } from './lowered.js';
import { linearPredictors } from './linear.js';
import { classified } from './categories.js';
import type { FamilyLowering } from './family.js';

const DOUBLES = { type: 'array', items: 'double' };
const RADIAL = {
  type: 'record',
  name: 'RadialBasisNeuron',
  fields: [
    { name: 'centre', type: DOUBLES },
    { name: 'width', type: 'double' },
  ],
};

/** A layer attribute, else the network's. */
function setting(layer: XmlElement, network: XmlElement, name: string): string | undefined {
  return layer.attrs[name] ?? network.attrs[name];
}

/** The activation function on a double expression `z`. */
function activation(name: string, z: Pfa, layer: XmlElement, network: XmlElement, ctx: LowerContext): Pfa {
  switch (name) {
    case 'identity':
      return z;
    case 'logistic':
      return { 'm.link.logit': [z] };
    case 'tanh':
      return { 'm.tanh': [z] };
    case 'exponential':
      return { 'm.exp': [z] };
    case 'reciprocal':
      return { '/': [1.0, z] };
    case 'square':
      return { '*': [z, z] };
    case 'Gauss':
      return { 'm.exp': [{ 'u-': [{ '*': [z, z] }] }] };
    case 'sine':
      return { 'm.sin': [z] };
    case 'cosine':
      return { 'm.cos': [z] };
    case 'Elliott':
      return { '/': [z, { '+': [1.0, { 'm.abs': [z] }] }] };
    case 'arctan':
      return { '/': [{ '*': [2.0, { 'm.atan': [z] }] }, Math.PI] };
    case 'rectifier':
      return { max: [0.0, z] };
    case 'threshold': {
      const t = Number(
        setting(layer, network, 'threshold') ?? ctx.fail(layer, 'pmml-missing-attribute', 'a threshold activation needs a threshold'),
      );
      return { if: { '>': [z, t] }, then: 1.0, else: 0.0 };
    }
    default:
      return ctx.unsupported(layer, `activationFunction ${name}`);
  }
}

/**
 * A radial-basis layer: exp(-|x - centre|^2 / (2 width^2) + n ln(altitude)) per neuron, the neuron's
 * weights being its centre.
 */
function radialBasis(layer: XmlElement, network: XmlElement, ctx: LowerContext, input: Ref, rows: number[][], neurons: XmlElement[]): Pfa {
  const cell = ctx.symbol('centres');
  ctx.cells[cell] = {
    type: { type: 'array', items: ctx.namedType(RADIAL) },
    init: rows.map((centre, i) => {
      const width =
        neurons[i]!.attrs.width ??
        setting(layer, network, 'width') ??
        ctx.fail(neurons[i]!, 'pmml-missing-attribute', 'a radialBasis neuron needs a width');
      return { centre, width: Number(width) };
    }),
  };
  const altitude = Number(setting(layer, network, 'altitude') ?? 1);
  const [n, a, b] = [ctx.symbol('n'), ctx.symbol('a'), ctx.symbol('b')];
  const squares = {
    'a.zipmap': [
      input,
      member(n, 'centre'),
      { params: [{ [a]: 'double' }, { [b]: 'double' }], ret: 'double', do: { '*': [{ '-': [a, b] }, { '-': [a, b] }] } },
    ],
  };
  let z: Pfa = { '/': [{ 'a.sum': [squares] }, { '*': [-2.0, { '*': [member(n, 'width'), member(n, 'width')] }] }] };
  if (altitude !== 1) z = { '+': [z, Math.log(altitude) * rows[0]!.length] };
  return { 'a.map': [{ cell }, { params: [{ [n]: 'RadialBasisNeuron' }], ret: 'double', do: { 'm.exp': [z] } }] };
}

/** The layer's normalizationMethod over its outputs (a symbol of array<double>). */
function normalize(method: string, z: Ref, layer: XmlElement, ctx: LowerContext): Pfa {
  switch (method) {
    case 'none':
      return z;
    case 'softmax':
      return { 'm.link.softmax': [z] };
    case 'simplemax': {
      const v = ctx.symbol('v');
      return { 'a.map': [z, { params: [{ [v]: 'double' }], ret: 'double', do: { '/': [v, { 'a.sum': [z] }] } }] };
    }
    default:
      return ctx.unsupported(layer, `normalizationMethod ${method}`);
  }
}

/** The inverse of a NormContinuous: from the normalised value `y` back to the original scale. */
function denormalize(norm: XmlElement, y: Pfa, ctx: LowerContext): Pfa {
  const points = childrenNamed(norm, 'LinearNorm')
    .map((p) => [ctx.number(p, 'orig'), ctx.number(p, 'norm')] as const)
    .sort((p, q) => p[1] - q[1]);
  if (points.length < 2) ctx.fail(norm, 'pmml-invalid', 'NormContinuous needs at least two LinearNorm points');
  const segment = (i: number): Pfa => {
    const [a, an] = points[i]!;
    const [b, bn] = points[i + 1]!;
    return { '+': [a, { '*': [{ '/': [{ '-': [y, an] }, bn - an] }, b - a] }] };
  };
  // Beyond the last point the end segments extend.
  const clauses = points.slice(1, -1).map((p, i) => ({ if: { '<=': [y, p[1]] }, then: segment(i) }));
  return clauses.length ? { cond: clauses, else: segment(points.length - 2) } : segment(0);
}

export const lowerNeuralNetwork: FamilyLowering = (model, ctx, scope) => {
  const inputs = childrenNamed(
    child(model, 'NeuralInputs') ?? ctx.fail(model, 'pmml-invalid', 'NeuralNetwork has no NeuralInputs'),
    'NeuralInput',
  );
  const layers = childrenNamed(model, 'NeuralLayer');
  if (layers.length === 0) ctx.fail(model, 'pmml-invalid', 'NeuralNetwork has no NeuralLayer');
  const outputs = childrenNamed(
    child(model, 'NeuralOutputs') ?? ctx.fail(model, 'pmml-invalid', 'NeuralNetwork has no NeuralOutputs'),
    'NeuralOutput',
  );

  // Where each neuron's value is: the symbol of its layer's array and its index there.
  const where = new Map<string, { symbol: Ref; index: number }>();
  const inputSymbols = inputs.map((input) => {
    const df = child(input, 'DerivedField') ?? ctx.fail(input, 'pmml-invalid', 'NeuralInput needs a DerivedField');
    const expr = expressionChild(df) ?? ctx.fail(df, 'pmml-invalid', 'the DerivedField of a NeuralInput has no expression');
    return {
      symbol: ctx.symbol('in'),
      value: convertValue(lowerExpression(expr, ctx, scope as Scope), 'double', ctx),
      id: ctx.attr(input, 'id'),
    };
  });
  const x = ctx.symbol('x');
  for (const [index, s] of inputSymbols.entries()) where.set(s.id, { symbol: x, index });

  const body: Pfa[] = [{ let: { [x]: { new: inputSymbols.map((s) => s.symbol), type: DOUBLES } } }];
  let previous = x;
  let previousIds = inputSymbols.map((s) => s.id);
  for (const layer of layers) {
    const neurons = childrenNamed(layer, 'Neuron');
    const rows = neurons.map((neuron) => {
      const row = new Array<number>(previousIds.length).fill(0);
      for (const con of childrenNamed(neuron, 'Con')) {
        const from = ctx.attr(con, 'from');
        const i = previousIds.indexOf(from);
        if (i < 0) ctx.unsupported(con, `a connection from ${JSON.stringify(from)}, which is not in the layer before`);
        row[i] += ctx.number(con, 'weight');
      }
      return row;
    });
    const fn =
      setting(layer, model, 'activationFunction') ?? ctx.fail(layer, 'pmml-missing-attribute', 'NeuralNetwork needs an activationFunction');
    const z = ctx.symbol('z');
    let activated: Pfa;
    if (fn === 'radialBasis') activated = radialBasis(layer, model, ctx, previous, rows, neurons);
    else {
      const linear = linearPredictors(
        ctx,
        'layer',
        previous,
        rows,
        neurons.map((n) => ctx.number(n, 'bias', 0)),
      );
      const v = ctx.symbol('v');
      activated =
        fn === 'identity'
          ? linear
          : { 'a.map': [linear, { params: [{ [v]: 'double' }], ret: 'double', do: activation(fn, v, layer, model, ctx) }] };
    }
    const out = ctx.symbol('layer');
    body.push(
      { let: { [z]: activated } },
      { let: { [out]: normalize(setting(layer, model, 'normalizationMethod') ?? 'none', z, layer, ctx) } },
    );
    previousIds = neurons.map((n) => ctx.attr(n, 'id'));
    for (const [index, id] of previousIds.entries()) where.set(id, { symbol: out, index });
    previous = out;
  }

  const neuron = (o: XmlElement): Pfa => {
    const id = ctx.attr(o, 'outputNeuron');
    const at = where.get(id) ?? ctx.fail(o, 'pmml-invalid', `output neuron ${JSON.stringify(id)} is not defined`);
    return { attr: at.symbol, path: [at.index] };
  };
  const expressionOf = (o: XmlElement): XmlElement => {
    const df = child(o, 'DerivedField') ?? ctx.fail(o, 'pmml-invalid', 'NeuralOutput needs a DerivedField');
    return expressionChild(df) ?? ctx.fail(df, 'pmml-invalid', 'the DerivedField of a NeuralOutput has no expression');
  };

  if (model.attrs.functionName === 'classification') {
    const labels = outputs.map((o) => {
      const e = expressionOf(o);
      if (e.name !== 'NormDiscrete') ctx.unsupported(e, `a classification NeuralOutput with ${e.name}`);
      return ctx.attr(e, 'value');
    });
    const probs = ctx.symbol('probs');
    body.push({ let: { [probs]: { new: outputs.map(neuron), type: DOUBLES } } }, classified(labels, probs));
  } else {
    if (outputs.length !== 1) ctx.unsupported(model, `a regression network with ${outputs.length} NeuralOutputs`);
    const e = expressionOf(outputs[0]!);
    const value =
      e.name === 'FieldRef'
        ? neuron(outputs[0]!)
        : e.name === 'NormContinuous'
          ? denormalize(e, neuron(outputs[0]!), ctx)
          : ctx.unsupported(e, `a regression NeuralOutput with ${e.name}`);
    body.push(result({ number: { upcast: value, as: ['null', 'double'] } }));
  }

  if (inputSymbols.length === 0) return body;
  return [{ ifnotnull: Object.fromEntries(inputSymbols.map((s) => [s.symbol, s.value])), then: { do: body }, else: NULL_RESULT }];
};
