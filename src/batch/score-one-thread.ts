/**
 * A batch run on the calling thread, row by row: rows are read, scored and written one by one, in
 * groups of `chunkSize` rows. The plain way (`chunkBytes: 0`), the baseline the chunked runs, on one
 * thread or several (score-threads.ts), must match byte for byte; and the way of a CSV file whose
 * records cannot be cut into chunks (a lone CR may end one).
 */
import { InputError } from '../io/input-error.js';
import { wireTypes } from '../io/wire.js';
import type { Model } from '../model.js';
import { Stop, Tally, type BatchOptions, type BatchSummary } from './batch-run.js';
import { copiedValues, withoutCopied } from './copy-columns.js';
import { readRows, type Row } from './readers.js';
import { rowScorer } from './score-rows.js';
import { rejectsWriter, rowWriter } from './writers.js';

/** Scores `options.input` with `model` on this thread. Throws InputError when the input cannot be read on (the caller makes it a BatchAbort). */
export async function scoreOnThisThread(
  options: BatchOptions,
  model: Model,
  copied: readonly string[],
  started: number,
): Promise<{ summary: BatchSummary; abort?: Error }> {
  const wire = wireTypes(model);
  const score = rowScorer(model);
  const chunkSize = options.chunkSize ?? 512;
  // Copying happens here, from the rows as read: the model sees only its record.
  const forModel = withoutCopied(copied, wire.input);
  const csvInput = options.inputFormat === 'csv';
  const out = rowWriter(options.outputFormat, options.output, wire.output, copied, wire.tagged);
  const tally = new Tally(started, options, options.rejects && rejectsWriter(options.rejects));

  const reject = (row: Row, error: string, code: string | number | undefined) => {
    const id = options.idColumn === undefined ? undefined : { value: copiedValues([options.idColumn], row, csvInput)[options.idColumn] };
    return tally.reject(row.index, error, code, row.raw, id);
  };

  const drain = async (chunk: Row[]) => {
    for (const row of chunk) {
      tally.rows++;
      if (row.error !== undefined) {
        await reject(row, row.error, row.code);
        continue;
      }
      const o = score(forModel(row.value));
      if (o.ok) {
        tally.scored++;
        await out.write(copied.length ? { copied: copiedValues(copied, row, csvInput), result: o.value } : o.value);
      } else await reject(row, o.error, o.code);
    }
    options.onProgress?.(tally.rows);
  };

  let abort: Error | undefined;
  try {
    let chunk: Row[] = [];
    try {
      for await (const row of readRows(
        options.inputFormat,
        options.input,
        wire.input,
        options.loadOptions?.allowExtraFields === true,
        copied,
      )) {
        chunk.push(row);
        if (chunk.length < chunkSize) continue;
        await drain(chunk);
        chunk = [];
      }
    } catch (e) {
      // The rows read before the input broke are still scored and written.
      if (!(e instanceof InputError)) throw e;
      abort = e;
    }
    if (chunk.length) await drain(chunk);
  } catch (e) {
    options.input.destroy();
    if (!(e instanceof Stop)) throw e;
    tally.stoppedAt = { row: e.row, error: e.reason };
  }
  await out.end();
  await tally.end();
  return { summary: tally.summary(), ...(abort ? { abort } : {}) };
}
