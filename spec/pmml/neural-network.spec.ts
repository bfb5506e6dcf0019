import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

const header = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';
const dictionary = `<DataDictionary>
  <DataField name="a" optype="continuous" dataType="double"/>
  <DataField name="b" optype="continuous" dataType="double"/>
  <DataField name="y" optype="categorical" dataType="string"><Value value="p"/><Value value="q"/></DataField>
  <DataField name="z" optype="continuous" dataType="double"/>
</DataDictionary>`;
const inputs = `<NeuralInputs>
  <NeuralInput id="i1"><DerivedField optype="continuous" dataType="double"><FieldRef field="a"/></DerivedField></NeuralInput>
  <NeuralInput id="i2"><DerivedField optype="continuous" dataType="double"><FieldRef field="b"/></DerivedField></NeuralInput>
</NeuralInputs>`;

function network(attrs: string, target: string, layers: string, outputs: string): string {
  return `${header}${dictionary}<NeuralNetwork ${attrs}>
  <MiningSchema><MiningField name="a"/><MiningField name="b"/><MiningField name="${target}" usageType="target"/></MiningSchema>
  <Output><OutputField name="pp" feature="probability" value="p"/></Output>
  ${inputs}${layers}<NeuralOutputs>${outputs}</NeuralOutputs></NeuralNetwork></PMML>`;
}

const toCategory = (neuron: string, value: string) =>
  `<NeuralOutput outputNeuron="${neuron}"><DerivedField optype="continuous" dataType="double"><NormDiscrete field="y" value="${value}"/></DerivedField></NeuralOutput>`;

describe('NeuralNetwork', () => {
  it('applies each layer activation, then its normalizationMethod; outputs name categories', () => {
    const layers = `<NeuralLayer activationFunction="threshold" threshold="0.5">
        <Neuron id="h1" bias="0"><Con from="i1" weight="1"/></Neuron>
        <Neuron id="h2" bias="0"><Con from="i2" weight="1"/></Neuron>
      </NeuralLayer>
      <NeuralLayer activationFunction="identity" normalizationMethod="simplemax">
        <Neuron id="o1" bias="1"><Con from="h1" weight="1"/></Neuron>
        <Neuron id="o2" bias="1"><Con from="h2" weight="1"/></Neuron>
      </NeuralLayer>`;
    const m = loadPmml(
      network('functionName="classification" activationFunction="logistic"', 'y', layers, toCategory('o1', 'p') + toCategory('o2', 'q')),
    );
    // a = 1, b = 0: thresholds give (1, 0), outputs (2, 1), simplemax (2/3, 1/3).
    expect(m.score({ a: 1, b: 0 })).toEqual({ y: 'p', pp: 2 / 3 });
    // Both above the threshold: (2, 2), a tie, won by the first output.
    expect(m.score({ a: 1, b: 1 })).toEqual({ y: 'p', pp: 0.5 });
    expect(m.score({ a: 1 })).toEqual({ y: null, pp: null });
  });

  it('uses the network activation and softmax by default and denormalises a NormContinuous output', () => {
    const layers = `<NeuralLayer>
        <Neuron id="h1" bias="0.5"><Con from="i1" weight="2"/><Con from="i2" weight="-1"/></Neuron>
      </NeuralLayer>`;
    const output =
      '<NeuralOutput outputNeuron="h1"><DerivedField optype="continuous" dataType="double"><NormContinuous field="z"><LinearNorm orig="0" norm="0"/><LinearNorm orig="10" norm="1"/></NormContinuous></DerivedField></NeuralOutput>';
    const m = loadPmml(network('functionName="regression" activationFunction="tanh"', 'z', layers, output));
    // tanh(2 * 1 - 1 * 2 + 0.5) mapped from [0, 1] back to [0, 10].
    expect(m.score({ a: 1, b: 2 }).z).toBeCloseTo(10 * Math.tanh(0.5), 14);
  });

  it('computes radial-basis neurons from their centres and widths', () => {
    const layers = `<NeuralLayer activationFunction="radialBasis" width="1">
        <Neuron id="h1"><Con from="i1" weight="1"/><Con from="i2" weight="2"/></Neuron>
      </NeuralLayer>
      <NeuralLayer activationFunction="identity"><Neuron id="o1" bias="0"><Con from="h1" weight="3"/></Neuron></NeuralLayer>`;
    const output =
      '<NeuralOutput outputNeuron="o1"><DerivedField optype="continuous" dataType="double"><FieldRef field="z"/></DerivedField></NeuralOutput>';
    const m = loadPmml(network('functionName="regression" activationFunction="logistic"', 'z', layers, output));
    // 3 * exp(-((1 - 1)^2 + (4 - 2)^2) / (2 * 1^2))
    expect(m.score({ a: 1, b: 4 }).z).toBeCloseTo(3 * Math.exp(-2), 15);
  });

  it('computes a logistic neuron as 1 / (1 + exp(-z)) with z = sum of weight * input, then the bias, exp correctly rounded', () => {
    const layers = `<NeuralLayer>
        <Neuron id="h1" bias="0.5"><Con from="i1" weight="1"/><Con from="i2" weight="-1"/></Neuron>
      </NeuralLayer>
      <NeuralLayer activationFunction="identity"><Neuron id="o1" bias="0"><Con from="h1" weight="1"/></Neuron></NeuralLayer>`;
    const output =
      '<NeuralOutput outputNeuron="o1"><DerivedField optype="continuous" dataType="double"><FieldRef field="z"/></DerivedField></NeuralOutput>';
    const xml = network('functionName="regression" activationFunction="logistic"', 'z', layers, output);
    // z = 1 * 0.68 - 1 * 0.25 + 0.5 = 0.93; exp(-0.93) rounded to nearest is 0.3945537103716011
    // (Math.exp gives the next double up, and the quotient 0.7170752854929725).
    for (const backend of ['closures', 'specialized'] as const) {
      expect(loadPmml(xml, { backend }).score({ a: 0.68, b: 0.25 }).z).toBe(1 / (1 + 0.3945537103716011));
    }
    expect(1 / (1 + 0.3945537103716011)).toBe(0.7170752854929726);
  });

  it('reports connections that skip a layer', () => {
    const layers = `<NeuralLayer activationFunction="identity"><Neuron id="h1" bias="0"><Con from="i1" weight="1"/></Neuron></NeuralLayer>
      <NeuralLayer activationFunction="identity"><Neuron id="o1" bias="0"><Con from="i2" weight="1"/></Neuron></NeuralLayer>`;
    expect(() =>
      loadPmml(
        network(
          'functionName="regression"',
          'z',
          layers,
          '<NeuralOutput outputNeuron="o1"><DerivedField><FieldRef field="z"/></DerivedField></NeuralOutput>',
        ),
      ),
    ).toThrow(/not in the layer before/);
  });
});
