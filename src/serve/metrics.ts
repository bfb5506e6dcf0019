/**
 * Prometheus metrics for `/metrics`: requests, errors and a latency histogram per model, version and
 * protocol. Each server has its own registry, so several servers in one process do not mix counts.
 * Labels only ever hold names of models that exist, never a name taken from an unmatched request.
 */
import { Counter, Histogram, Registry } from 'prom-client';

export type Protocol = 'kserve' | 'tfserving' | 'invocations' | 'handler';

export interface Labels {
  readonly model: string;
  readonly version: string;
  readonly protocol: Protocol;
}

export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'trajan_requests_total',
    help: 'Scoring requests received.',
    labelNames: ['model', 'version', 'protocol'] as const,
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'trajan_request_errors_total',
    help: 'Scoring requests answered with an error, by HTTP status.',
    labelNames: ['model', 'version', 'protocol', 'status'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'trajan_request_duration_seconds',
    help: 'Time to answer a scoring request.',
    labelNames: ['model', 'version', 'protocol'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** Records one answered request; `status` is the HTTP status sent. */
  observe(labels: Labels, status: number, seconds: number): void {
    this.requests.inc(labels);
    this.latency.observe(labels, seconds);
    if (status >= 400) this.errors.inc({ ...labels, status: String(status) });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
