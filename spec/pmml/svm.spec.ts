import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

const header = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';
const dictionary = `<DataDictionary>
  <DataField name="a" optype="continuous" dataType="double"/>
  <DataField name="b" optype="continuous" dataType="double"/>
  <DataField name="y" optype="categorical" dataType="string"><Value value="p"/><Value value="q"/><Value value="r"/></DataField>
  <DataField name="z" optype="continuous" dataType="double"/>
</DataDictionary>`;
const vectors = `<VectorDictionary numberOfVectors="3">
  <VectorFields numberOfFields="2"><FieldRef field="a"/><FieldRef field="b"/></VectorFields>
  <VectorInstance id="v1"><Array n="2" type="real">1 0</Array></VectorInstance>
  <VectorInstance id="v2"><REAL-SparseArray n="2"><Indices>2</Indices><REAL-Entries>1</REAL-Entries></REAL-SparseArray></VectorInstance>
  <VectorInstance id="v3"><Array n="2" type="real">1 1</Array></VectorInstance>
</VectorDictionary>`;
const machine = (attrs: string, ids: string[], coeffs: number[], b: number) => `<SupportVectorMachine ${attrs}>
  <SupportVectors>${ids.map((id) => `<SupportVector vectorId="${id}"/>`).join('')}</SupportVectors>
  <Coefficients absoluteValue="${b}">${coeffs.map((c) => `<Coefficient value="${c}"/>`).join('')}</Coefficients>
</SupportVectorMachine>`;

function svm(attrs: string, kernel: string, target: string, machines: string, output = ''): string {
  return `${header}${dictionary}
<SupportVectorMachineModel ${attrs}>
  <MiningSchema><MiningField name="a"/><MiningField name="b"/><MiningField name="${target}" usageType="target"/></MiningSchema>
  ${output}${kernel}${vectors}${machines}
</SupportVectorMachineModel></PMML>`;
}

describe('SupportVectorMachineModel', () => {
  it('regresses with a linear kernel: sum of coefficient * <x, vector> + absoluteValue', () => {
    const m = loadPmml(svm('functionName="regression"', '<LinearKernelType/>', 'z', machine('', ['v1', 'v2', 'v3'], [2, -1, 0.5], 0.25)));
    // x = (3, 4): 2*3 - 1*4 + 0.5*7 + 0.25 = 5.75
    expect(m.score({ a: 3, b: 4 }).z).toBe(5.75);
    expect(m.score({ a: 3 }).z).toBeNull();
    expect(m.pfa.cells).toBeDefined();
  });

  it('uses the polynomial, radial basis and sigmoid kernels with their parameters', () => {
    const one = machine('', ['v3'], [1], 0);
    const poly = loadPmml(svm('functionName="regression"', '<PolynomialKernelType gamma="2" coef0="1" degree="3"/>', 'z', one));
    // (2 * <(1,2), (1,1)> + 1)^3 = 7^3
    expect(poly.score({ a: 1, b: 2 }).z).toBe(343);
    const rbf = loadPmml(svm('functionName="regression"', '<RadialBasisKernelType gamma="0.5"/>', 'z', one));
    // exp(-0.5 * ((1-1)^2 + (3-1)^2)) = exp(-2)
    expect(rbf.score({ a: 1, b: 3 }).z).toBeCloseTo(Math.exp(-2), 15);
    const sigmoid = loadPmml(svm('functionName="regression"', '<SigmoidKernelType gamma="0.5" coef0="-1"/>', 'z', one));
    // tanh(0.5 * 3 - 1)
    expect(sigmoid.score({ a: 1, b: 2 }).z).toBeCloseTo(Math.tanh(0.5), 15);
  });

  it('reads the linear Coefficients representation as one coefficient per vector field', () => {
    const coefficients =
      '<SupportVectorMachine><Coefficients absoluteValue="1"><Coefficient value="2"/><Coefficient value="-3"/></Coefficients></SupportVectorMachine>';
    const m = loadPmml(svm('functionName="regression" svmRepresentation="Coefficients"', '<LinearKernelType/>', 'z', coefficients));
    expect(m.score({ a: 5, b: 1 }).z).toBe(8);
  });

  it('votes one against one; probabilities are shares of the votes, ties go to the first category', () => {
    // Linear machines over x = (a, b): f1 = a - 1 (p|q), f2 = b - 1 (p|r), f3 = a + b - 3 (q|r).
    // A machine votes for targetCategory when f < 0 (threshold 0, maxWins false).
    const machines = [
      machine('targetCategory="p" alternateTargetCategory="q"', ['v1'], [1], -1),
      machine('targetCategory="p" alternateTargetCategory="r"', ['v2'], [1], -1),
      machine('targetCategory="q" alternateTargetCategory="r"', ['v3'], [1], -3),
    ].join('');
    const output =
      '<Output><OutputField name="P_p" feature="probability" value="p"/><OutputField name="P_r" feature="probability" value="r"/></Output>';
    const m = loadPmml(
      svm('functionName="classification" classificationMethod="OneAgainstOne"', '<LinearKernelType/>', 'y', machines, output),
    );
    // (0, 0): p, p, q -> p with 2 of 3 votes
    expect(m.score({ a: 0, b: 0 })).toEqual({ y: 'p', P_p: 2 / 3, P_r: 0 });
    // (2, 2): q, r, r -> r
    expect(m.score({ a: 2, b: 2 })).toEqual({ y: 'r', P_p: 0, P_r: 2 / 3 });
    // (2, 0): q, p, q -> q
    expect(m.score({ a: 2, b: 0 }).y).toBe('q');
    // (0, 2.5): p, r, q -> one vote each: the first category, p
    expect(m.score({ a: 0, b: 2.5 }).y).toBe('p');
  });

  it('honours per-machine thresholds and maxWins', () => {
    const machines = machine('targetCategory="p" alternateTargetCategory="q" threshold="5"', ['v1'], [1], 0);
    const m = loadPmml(svm('functionName="classification" maxWins="true"', '<LinearKernelType/>', 'y', machines));
    // maxWins: targetCategory when f > threshold
    expect(m.score({ a: 6, b: 0 }).y).toBe('p');
    expect(m.score({ a: 4, b: 0 }).y).toBe('q');
  });

  it('picks the lowest value one against all (the highest with maxWins)', () => {
    const machines = [
      machine('targetCategory="p"', ['v1'], [1], 0),
      machine('targetCategory="q"', ['v2'], [1], 0),
      machine('targetCategory="r"', ['v3'], [1], -10),
    ].join('');
    const min = loadPmml(svm('functionName="classification"', '<LinearKernelType/>', 'y', machines));
    // f = (a, b, a + b - 10)
    expect(min.score({ a: 1, b: 2 }).y).toBe('r');
    const max = loadPmml(svm('functionName="classification" maxWins="true"', '<LinearKernelType/>', 'y', machines));
    expect(max.score({ a: 1, b: 2 }).y).toBe('q');
  });

  it('infers the alternate category of a single binary machine from the target values', () => {
    const binary = `${header}<DataDictionary>
  <DataField name="a" optype="continuous" dataType="double"/>
  <DataField name="y" optype="categorical" dataType="string"><Value value="no"/><Value value="yes"/></DataField>
</DataDictionary>
<SupportVectorMachineModel functionName="classification" svmRepresentation="Coefficients">
  <MiningSchema><MiningField name="a"/><MiningField name="y" usageType="target"/></MiningSchema>
  <LinearKernelType/>
  <VectorDictionary><VectorFields><FieldRef field="a"/></VectorFields></VectorDictionary>
  <SupportVectorMachine targetCategory="yes"><Coefficients absoluteValue="-1"><Coefficient value="1"/></Coefficients></SupportVectorMachine>
</SupportVectorMachineModel></PMML>`;
    const m = loadPmml(binary);
    expect(m.score({ a: 0 }).y).toBe('yes');
    expect(m.score({ a: 2 }).y).toBe('no');
  });

  it('reports a support vector that is not in the dictionary, with its location', () => {
    expect(() => loadPmml(svm('functionName="regression"', '<LinearKernelType/>', 'z', machine('', ['nope'], [1], 0)))).toThrow(
      /no VectorInstance with id "nope"/,
    );
  });
});
