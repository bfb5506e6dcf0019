/**
 * The onnxruntime-node baseline: a bench-only converter that writes the workloads as ONNX (trees as
 * ai.onnx.ml TreeEnsembleRegressor, linear models and networks as MatMul/Add/Sigmoid/Softmax in
 * double precision) and a runner over onnxruntime-node, one thread.
 *
 * Both packages live in bench/package.json (install: `npm ci --prefix bench`), not in the library's
 * dependencies; they are loaded at run time, so the rest of the benchmark runs without them.
 */
import { createRequire } from 'node:module';
import type { ModelSpec, TreeNode } from './models.js';

const require = createRequire(import.meta.url);

/** The few parts of onnxruntime-node the benchmark uses. */
interface Tensor {
  readonly data: ArrayLike<number>;
}
interface Session {
  run(feeds: Record<string, Tensor>): Promise<Record<string, Tensor>>;
}
interface Ort {
  InferenceSession: { create(model: Uint8Array, options: object): Promise<Session> };
  Tensor: new (type: 'float32' | 'float64', data: Float32Array | Float64Array, dims: number[]) => Tensor;
}
interface OnnxProto {
  onnx: { ModelProto: { encode(model: object): { finish(): Uint8Array } } };
}

/** onnxruntime-node and onnx-proto, or the reason they cannot be used. */
export function loadOnnx(): { ort: Ort; proto: OnnxProto } | { missing: string } {
  try {
    return { ort: require('onnxruntime-node') as Ort, proto: require('onnx-proto') as OnnxProto };
  } catch (e) {
    return { missing: `onnxruntime-node is not installed (npm ci --prefix bench): ${(e as Error).message.split('\n')[0]}` };
  }
}

const FLOAT = 1;
const DOUBLE = 11;
const enc = new TextEncoder();

const attr = {
  int: (name: string, i: number) => ({ name, type: 2, i }),
  string: (name: string, s: string) => ({ name, type: 3, s: enc.encode(s) }),
  floats: (name: string, floats: number[]) => ({ name, type: 6, floats }),
  ints: (name: string, ints: number[]) => ({ name, type: 7, ints }),
  strings: (name: string, strings: string[]) => ({ name, type: 8, strings: strings.map((s) => enc.encode(s)) }),
};

const valueInfo = (name: string, elemType: number, dims: (number | string)[]) => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
});

const doubles = (name: string, dims: number[], values: number[]) => ({ name, dims, dataType: DOUBLE, doubleData: values });

/** The trees as one TreeEnsembleRegressor: BRANCH_LT sends `x < threshold` to the true branch, as PFA's `<` does. */
function treeEnsemble(trees: readonly TreeNode[], aggregate: 'SUM' | 'AVERAGE', base: number) {
  const a = {
    treeids: [] as number[],
    nodeids: [] as number[],
    features: [] as number[],
    values: [] as number[],
    modes: [] as string[],
    trueIds: [] as number[],
    falseIds: [] as number[],
  };
  const targets = { treeids: [] as number[], nodeids: [] as number[], weights: [] as number[] };
  trees.forEach((root, t) => {
    let next = 0;
    const add = (n: TreeNode | number): number => {
      const id = next++;
      const i = a.nodeids.length;
      a.treeids.push(t);
      a.nodeids.push(id);
      if (typeof n === 'number') {
        a.features.push(0), a.values.push(0), a.modes.push('LEAF'), a.trueIds.push(0), a.falseIds.push(0);
        targets.treeids.push(t), targets.nodeids.push(id), targets.weights.push(n);
        return id;
      }
      a.features.push(n.feature), a.values.push(n.threshold), a.modes.push('BRANCH_LT'), a.trueIds.push(0), a.falseIds.push(0);
      a.trueIds[i] = add(n.pass);
      a.falseIds[i] = add(n.fail);
      return id;
    };
    add(root);
  });
  return {
    opType: 'TreeEnsembleRegressor',
    domain: 'ai.onnx.ml',
    input: ['x'],
    output: ['y'],
    attribute: [
      attr.ints('nodes_treeids', a.treeids),
      attr.ints('nodes_nodeids', a.nodeids),
      attr.ints('nodes_featureids', a.features),
      attr.floats('nodes_values', a.values),
      attr.strings('nodes_modes', a.modes),
      attr.ints('nodes_truenodeids', a.trueIds),
      attr.ints('nodes_falsenodeids', a.falseIds),
      attr.ints('target_treeids', targets.treeids),
      attr.ints('target_nodeids', targets.nodeids),
      attr.ints(
        'target_ids',
        targets.treeids.map(() => 0),
      ),
      attr.floats('target_weights', targets.weights),
      attr.int('n_targets', 1),
      attr.string('aggregate_function', aggregate),
      attr.floats('base_values', [base]),
    ],
  };
}

/** An ONNX model of the workload, with its input width and element type; undefined when there is no converter (k-means). */
export function toOnnx(spec: ModelSpec, proto: OnnxProto): { model: Uint8Array; width: number; type: 'float32' | 'float64' } | undefined {
  let nodes: object[];
  let init: object[] = [];
  let width: number;
  let elem = DOUBLE;
  let outWidth = 1;
  switch (spec.kind) {
    case 'tree':
    case 'forest':
    case 'gbm': {
      const trees = spec.kind === 'tree' ? [spec.tree] : spec.trees;
      // The regressor's own post_transform is not applied by onnxruntime, so the logistic is a Sigmoid node.
      nodes =
        spec.kind === 'gbm'
          ? [
              { ...treeEnsemble(trees, 'SUM', spec.base), output: ['z'] },
              { opType: 'Sigmoid', input: ['z'], output: ['y'] },
            ]
          : [treeEnsemble(trees, spec.kind === 'forest' ? 'AVERAGE' : 'SUM', 0)];
      width = spec.features;
      elem = FLOAT;
      break;
    }
    case 'linear': {
      width = spec.coeff[0]!.length;
      outWidth = spec.coeff.length;
      const w = Array.from({ length: width }, (_, j) => spec.coeff.map((row) => row[j]!)).flat();
      init = [doubles('w', [width, outWidth], w), doubles('b', [outWidth], [...spec.constant])];
      const z = spec.link === 'none' ? 'y' : 'z';
      nodes = [
        { opType: 'MatMul', input: ['x', 'w'], output: ['xw'] },
        { opType: 'Add', input: ['xw', 'b'], output: [z] },
      ];
      if (spec.link === 'logit') nodes.push({ opType: 'Sigmoid', input: ['z'], output: ['y'] });
      if (spec.link === 'softmax') nodes.push({ opType: 'Softmax', input: ['z'], output: ['y'], attribute: [attr.int('axis', 1)] });
      break;
    }
    case 'nn': {
      width = spec.layers[0]!.weights[0]!.length;
      nodes = [];
      let signal = 'x';
      spec.layers.forEach((layer, l) => {
        const rows = layer.weights.length;
        const cols = layer.weights[0]!.length;
        const wt = Array.from({ length: cols }, (_, j) => layer.weights.map((row) => row[j]!)).flat();
        init.push(doubles(`w${l}`, [cols, rows], wt), doubles(`b${l}`, [rows], [...layer.bias]));
        const last = l === spec.layers.length - 1;
        nodes.push({ opType: 'MatMul', input: [signal, `w${l}`], output: [`m${l}`] });
        nodes.push({ opType: 'Add', input: [`m${l}`, `b${l}`], output: [last ? 'y' : `h${l}`] });
        if (!last) nodes.push({ opType: 'Sigmoid', input: [`h${l}`], output: [`a${l}`] });
        signal = `a${l}`;
        outWidth = rows;
      });
      break;
    }
    case 'kmeans':
      return undefined;
  }
  const model = {
    irVersion: 8,
    opsetImport: [
      { domain: '', version: 13 },
      { domain: 'ai.onnx.ml', version: 3 },
    ],
    graph: {
      name: 'bench',
      node: nodes,
      initializer: init,
      input: [valueInfo('x', elem, ['n', width])],
      output: [valueInfo('y', elem, ['n', outWidth])],
    },
  };
  return { model: proto.onnx.ModelProto.encode(model).finish(), width, type: elem === FLOAT ? 'float32' : 'float64' };
}

/** A session of one workload: feature rows in, one result per row out (a number, or an array for vector outputs). */
export class OrtRunner {
  private constructor(
    private readonly ort: Ort,
    private readonly session: Session,
    readonly width: number,
    private readonly type: 'float32' | 'float64',
  ) {}

  static async create(ort: Ort, onnx: { model: Uint8Array; width: number; type: 'float32' | 'float64' }): Promise<OrtRunner> {
    // One thread each, as the comparison with single-threaded JS requires.
    const session = await ort.InferenceSession.create(onnx.model, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new OrtRunner(ort, session, onnx.width, onnx.type);
  }

  /** Rows as one tensor, built once per input set so timing covers only the run. */
  tensor(rows: readonly (readonly number[])[]): Tensor {
    const data = this.type === 'float32' ? new Float32Array(rows.length * this.width) : new Float64Array(rows.length * this.width);
    for (let i = 0; i < rows.length; i++) data.set(rows[i]!, i * this.width);
    return new this.ort.Tensor(this.type, data, [rows.length, this.width]);
  }

  async run(x: Tensor): Promise<number[]> {
    return Array.from((await this.session.run({ x })).y!.data);
  }
}
