/**
 * The records of a request body, whatever its Content-Type: CSV and JSON Lines arrive as text and
 * are parsed here; JSON arrives parsed. Shared by the server's `/invocations` and `createHandler`,
 * so a body is read the same way behind either.
 */
import { recordsFromCsv, recordsFromJson, recordsFromJsonLines } from './request-formats.js';
import { checkJsonSize, DEFAULT_REQUEST_LIMITS, tooManyElements, type RequestLimits } from './request-limits.js';
import type { ServedModel } from './served-model.js';

/** Content types read as text and parsed here rather than by fastify. */
export const TEXT_CONTENT_TYPES = [
  'text/csv',
  'application/jsonlines',
  'application/json-lines',
  'application/jsonl',
  'application/x-ndjson',
];

/**
 * The records in a request body. A JSON body's size was checked when it was parsed; records read
 * from text are checked here, before anything walks them.
 */
export function recordsFromBody(
  served: ServedModel,
  contentType: string | undefined,
  body: unknown,
  limits: RequestLimits = DEFAULT_REQUEST_LIMITS,
): unknown[] {
  const type = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const fromText = type === 'text/csv' || TEXT_CONTENT_TYPES.includes(type);
  const records =
    type === 'text/csv'
      ? recordsFromCsv(String(body), served.wire.input)
      : fromText
        ? recordsFromJsonLines(String(body))
        : recordsFromJson(body, limits.maxElements);
  if (fromText) checkJsonSize(records, limits);
  else if (records.length > limits.maxElements) throw tooManyElements(limits.maxElements);
  return records;
}
