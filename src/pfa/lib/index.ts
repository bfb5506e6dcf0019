/**
 * The function registry: every namespace module, indexed by full function name. Adding a namespace
 * is one file in this folder and one line here.
 */
import type { LibFunction, LibraryModule } from './define.js';
import ns_core from './core.js';
import ns_m from './m.js';
import ns_m_special from './m/special.js';
import ns_m_link from './m/link.js';
import ns_m_kernel from './m/kernel.js';
import ns_s from './s.js';
import ns_re from './re.js';
import ns_parse from './parse.js';
import ns_cast from './cast.js';
import ns_bytes from './bytes.js';
import ns_fixed from './fixed.js';
import ns_enum from './enum.js';
import ns_impute from './impute.js';
import ns_interp from './interp.js';
import ns_a from './a.js';
import ns_map from './map.js';
import ns_la from './la.js';
import ns_metric from './metric.js';
import ns_time from './time.js';
import ns_rand from './rand.js';
import ns_prob_dist from './prob/dist.js';
import ns_stat_sample from './stat/sample.js';
import ns_stat_change from './stat/change.js';
import ns_stat_test from './stat/test.js';
import ns_model_reg from './model/reg.js';
import ns_model_tree from './model/tree.js';
import ns_model_cluster from './model/cluster.js';
import ns_model_neighbor from './model/neighbor.js';
import ns_model_naive from './model/naive.js';
import ns_model_neural from './model/neural.js';
import ns_model_svm from './model/svm.js';

export const modules: readonly LibraryModule[] = [
  ns_core,
  ns_m,
  ns_m_special,
  ns_m_link,
  ns_m_kernel,
  ns_s,
  ns_re,
  ns_parse,
  ns_cast,
  ns_bytes,
  ns_fixed,
  ns_enum,
  ns_impute,
  ns_interp,
  ns_a,
  ns_map,
  ns_la,
  ns_metric,
  ns_time,
  ns_rand,
  ns_prob_dist,
  ns_stat_sample,
  ns_stat_change,
  ns_stat_test,
  ns_model_reg,
  ns_model_tree,
  ns_model_cluster,
  ns_model_neighbor,
  ns_model_naive,
  ns_model_neural,
  ns_model_svm,
];

function build(): Map<string, LibFunction> {
  const out = new Map<string, LibFunction>();
  for (const mod of modules) {
    for (const fn of mod.functions) {
      if (out.has(fn.name)) throw new Error(`library function ${fn.name} is defined twice`);
      out.set(fn.name, fn);
    }
  }
  return out;
}

export const registry: ReadonlyMap<string, LibFunction> = build();
