/**
 * `score` of each record, in order, a plain loop (not `map`, which would skip a hole of a sparse
 * array where a loop scores it): a model's `scoreBatch` when its engine scores inputs one by
 * one anyway (model.ts, pmml/model.ts), so that the batch is exactly the loop of `score` it is
 * held to, without every input read and every result kept before the first is converted.
 */
export function scoreLoop<In, Out>(records: readonly In[], score: (record: In) => Out): Out[] {
  const results = new Array<Out>(records.length);
  for (let i = 0; i < records.length; i++) results[i] = score(records[i]!);
  return results;
}
