/**
 * The file formats of batch scoring: CSV (with a header row), JSON Lines and Avro object container
 * files, chosen from the file's extension or given explicitly.
 */
import { extname } from 'node:path';

export type BatchFormat = 'csv' | 'jsonl' | 'avro';

export const BATCH_FORMATS: readonly BatchFormat[] = ['csv', 'jsonl', 'avro'];

const EXTENSIONS: Record<string, BatchFormat> = { '.csv': 'csv', '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.avro': 'avro' };

/** The format a file name implies, if any. */
export function formatOf(file: string): BatchFormat | undefined {
  return EXTENSIONS[extname(file).toLowerCase()];
}

export function isBatchFormat(s: string): s is BatchFormat {
  return (BATCH_FORMATS as readonly string[]).includes(s);
}
