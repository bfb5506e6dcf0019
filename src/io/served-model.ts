/**
 * One servable model version: a `Model` plus its request check. Requests carry plain JSON
 * (nullable fields as plain values); each record, with union tags added, is checked by the input
 * check generated from the Avro input type for Avro's JSON encoding (`fits(t, 'json')`, built once,
 * here), the same generator and closure baseline as the engine's own input check, so that a bad
 * record is answered with the path and reason of its first problem, and the plain record is
 * scored. Every problem caused by the request becomes a 4xx answer with a code, never a 500.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { JsonValueError } from '../avro/json.js';
import { fits } from '../avro/fits.js';
import { fromPlainJson } from '../avro/plain-json.js';
import { problemFinder, type Problem } from '../avro/validate.js';
import { TrajanError } from '../errors.js';
import { isTrajanErrorCode, type TrajanErrorCode } from '../error-codes.js';
import type { Outcome } from './outcomes.js';
import type { Model } from '../model.js';
import type { AvroType } from '../avro/types.js';
import { wireTypes, type WireTypes } from './wire.js';

/** Scores records elsewhere (a worker thread), keeping each record's outcome. */
export interface RemoteScorer {
  score(inputs: readonly unknown[], deadline: number): Promise<Outcome[]>;
  close(): Promise<void>;
}

/** Records sent to a scoring thread at once: the deadline is checked between chunks too. */
const CHUNK = 256;

const DEFAULT_CODES: Record<number, TrajanErrorCode> = {
  400: 'bad-request',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'too-large',
  415: 'unsupported-media-type',
};

/**
 * A problem with a request: the HTTP status and a JSON body to answer with. It is a TrajanError of
 * kind `syntax` (the request, not a document, is malformed) with a stable code in the body.
 */
export class RequestError extends TrajanError {
  readonly kind = 'syntax' as const;
  readonly details: Record<string, unknown>;

  constructor(
    readonly statusCode: number,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    const code =
      typeof details.code === 'string' || typeof details.code === 'number' ? details.code : (DEFAULT_CODES[statusCode] ?? 'bad-request');
    // The body keeps the code given; the error's own code is one of Trajan's (or a number).
    super(
      isTrajanErrorCode(code) || typeof code === 'number' ? code : 'bad-request',
      message,
      typeof details.path === 'string' ? { pointer: details.path } : undefined,
    );
    this.details = { ...details, code };
  }
}

/** Runtime errors that are about the record the client sent, not about the model. */
const CLIENT_RUNTIME_CODES: ReadonlySet<string | number | undefined> = new Set(['input-mismatch', 'unknown-field']);

/**
 * Generic on purpose: errors about the input are the client's (400), failures while running a
 * model are 422.
 */
function statusOf(kind: string, code: string | number | undefined): number {
  return kind === 'runtime' && !CLIENT_RUNTIME_CODES.has(code) ? 422 : 400;
}

/** An HTTP answer for anything thrown while handling a request, or undefined for a server fault. */
export function errorAnswer(e: unknown): { status: number; body: Record<string, unknown> } | undefined {
  if (e instanceof RequestError) return { status: e.statusCode, body: { error: e.message, ...e.details } };
  if (e instanceof JsonValueError) return { status: 400, body: { error: e.message, code: e.code, kind: e.kind, path: e.path } };
  if (e instanceof TrajanError) return { status: statusOf(e.kind, e.code), body: { error: e.message, code: e.code, kind: e.kind } };
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = (e as { code?: unknown }).code;
    return {
      status,
      body: { error: (e as Error).message, code: typeof code === 'string' ? code : (DEFAULT_CODES[status] ?? 'bad-request') },
    };
  }
  return undefined;
}

function invalid(record: number, problem: Problem | undefined): RequestError {
  const path = problem?.path ?? '/';
  const reason = problem?.reason ?? 'does not match the input schema';
  return new RequestError(400, `record ${record}: ${path} ${reason}`, { code: 'invalid-record', record, path, reason });
}

/** A request record's check: a verdict, and its first problem on the failure path. */
export interface RequestCheck {
  readonly ok: (tagged: unknown) => boolean;
  readonly problem: (tagged: unknown) => Problem | undefined;
}

/** The check of request records (plain JSON with union tags added by `fromPlainJson`) of the input type `t`. */
export function requestCheck(t: AvroType): RequestCheck {
  return { ok: fits(t, 'json'), problem: problemFinder(t, 'json') };
}

/** How long a request works before letting other requests in, in milliseconds. */
const SLICE_MS = 20;

export interface ScoreOptions {
  /** `Date.now()` past which the request stops between records with a 422 `request-timeout`. */
  readonly deadline?: number;
}

export class ServedModel {
  readonly wire: WireTypes;
  private readonly check: RequestCheck;

  constructor(
    readonly model: Model<unknown>,
    readonly name: string,
    readonly version: string,
    /** When set, records are scored there rather than on this thread. */
    private readonly remote?: RemoteScorer,
  ) {
    this.wire = wireTypes(model);
    this.check = requestCheck(this.wire.input);
  }

  /**
   * Validates every record first, then scores them all: a bad request scores nothing. Between
   * records it yields to the event loop every few milliseconds, so a long batch never holds other
   * requests up for longer than one record takes (which the engine's time budget bounds), and it
   * stops at the deadline.
   */
  async score(records: readonly unknown[], options: ScoreOptions = {}): Promise<unknown[]> {
    const deadline = options.deadline ?? Infinity;
    let sliceEnd = performance.now() + SLICE_MS;
    const pause = async (i: number, total: number) => {
      if (performance.now() < sliceEnd) return;
      await yieldToEventLoop();
      if (Date.now() > deadline) {
        throw new RequestError(422, `the request ran out of time after ${i} of ${total} records`, { code: 'request-timeout', record: i });
      }
      sliceEnd = performance.now() + SLICE_MS;
    };
    const inputs: unknown[] = [];
    for (let i = 0; i < records.length; i++) {
      await pause(i, records.length);
      const tagged = fromPlainJson(this.wire.input, records[i]);
      if (!this.check.ok(tagged)) throw invalid(i, this.check.problem(tagged));
      inputs.push(records[i]);
    }
    const results: unknown[] = [];
    if (this.remote) {
      for (let start = 0; start < inputs.length; start += CHUNK) {
        const outcomes = await this.remote.score(inputs.slice(start, start + CHUNK), deadline);
        for (let j = 0; j < outcomes.length; j++) results.push(this.fromOutcome(outcomes[j]!, start + j));
        await pause(start + CHUNK, inputs.length);
      }
      return results;
    }
    for (let i = 0; i < inputs.length; i++) {
      await pause(i, inputs.length);
      results.push(this.scoreOne(inputs[i], i));
    }
    return results;
  }

  /** Stops the scoring thread, if there is one, once its work in hand is done. */
  close(): Promise<void> {
    return this.remote?.close() ?? Promise.resolve();
  }

  private fromOutcome(o: Outcome, i: number): unknown {
    if (o.ok) return o.value;
    const status = o.kind !== undefined ? statusOf(o.kind, o.code) : 422;
    const message = status === 422 ? `record ${i}: the model failed: ${o.error}` : `record ${i}: ${o.error}`;
    throw new RequestError(status, message, {
      code: o.code ?? 'model-failed',
      ...(o.kind ? { kind: o.kind } : {}),
      record: i,
      reason: o.error,
    });
  }

  private scoreOne(input: unknown, i: number): unknown {
    try {
      return this.model.score(input);
    } catch (e) {
      const answer = errorAnswer(e);
      if (!answer) throw e;
      const { error, ...rest } = answer.body;
      const reason = String(error);
      const message = answer.status === 422 ? `record ${i}: the model failed: ${reason}` : `record ${i}: ${reason}`;
      throw new RequestError(answer.status, message, { ...rest, record: i, reason });
    }
  }
}
