import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModelServer } from '../../src/serve/server.js';
import { fixture, get, makeRepository, post, removeRepository, serveRepository } from './repo.js';

describe('server operations: metrics, logs, limits, shutdown', () => {
  let root: string;
  let server: ModelServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    removeRepository(root);
  });

  it('exposes Prometheus counts and latency per model, version and protocol at /metrics', async () => {
    root = makeRepository({ total: { '1': fixture('scoring/total.pfa.yaml') } });
    server = await serveRepository(root);
    await post(`${server.url}/v1/models/total:predict`, { instances: [{ x: 1, y: 2, label: 'a' }] });
    await post(`${server.url}/v1/models/total:predict`, { instances: [{ x: 'bad', y: 2, label: 'a' }] });
    await post(`${server.url}/invocations`, { instances: [{ x: 1, y: 2, label: 'a' }] });
    await post(`${server.url}/v1/models/unknown:predict`, { instances: [] });
    const r = await fetch(`${server.url}/metrics`);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await r.text();
    expect(text).toContain('trajan_requests_total{model="total",version="1",protocol="tfserving"} 2');
    expect(text).toContain('trajan_requests_total{model="total",version="1",protocol="invocations"} 1');
    expect(text).toContain('trajan_request_errors_total{model="total",version="1",protocol="tfserving",status="400"} 1');
    expect(text).toMatch(/trajan_request_duration_seconds_count\{model="total",version="1",protocol="tfserving"\} 2/);
    expect(text).not.toContain('unknown');
  });

  it('writes structured JSON logs of loads and failures', async () => {
    root = makeRepository({ total: { '1': fixture('scoring/total.pfa.yaml'), '2': fixture('wrong-output.pfa.yaml') } });
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    server = await serveRepository(root, { logger: { level: 'info', stream } });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 30, model: 'total', version: '1', format: 'pfa', msg: 'model version loaded' }),
    );
    expect(lines).toContainEqual(expect.objectContaining({ level: 50, model: 'total', version: '2', msg: 'model version failed to load' }));
    // The newest version failed, so the one before it serves.
    expect((await post(`${server.url}/v1/models/total:predict`, { instances: [{ x: 1, y: 2, label: 'a' }] })).json()).toEqual({
      predictions: [{ total: 3, label: 'A' }],
    });
  });

  it('refuses bodies over the size limit with 413', async () => {
    root = makeRepository({ total: { '1': fixture('scoring/total.pfa.yaml') } });
    server = await serveRepository(root, { bodyLimit: 1000 });
    const instances = Array.from({ length: 100 }, () => ({ x: 1, y: 2, label: 'a' }));
    expect((await post(`${server.url}/v1/models/total:predict`, { instances })).status).toBe(413);
    expect((await post(`${server.url}/v1/models/total:predict`, { instances: instances.slice(0, 2) })).status).toBe(200);
  });

  it('drains a request in flight on close, then stops listening', async () => {
    root = makeRepository({ total: { '1': fixture('scoring/total.pfa.yaml') } });
    const s = await serveRepository(root);
    const body = JSON.stringify({ instances: [{ x: 1, y: 2, label: 'a' }] });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${s.url}/v1/models/total:predict`,
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length } },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c)).on('end', () => resolve({ status: res.statusCode!, body: text }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10)); // the request is in flight: headers sent, body incomplete
      setTimeout(() => req.end(body.slice(10)), 300);
    });
    await new Promise((r) => setTimeout(r, 100));
    const closed = s.close();
    expect(await answer).toEqual({ status: 200, body: '{"predictions":[{"total":3,"label":"A"}]}' });
    await closed;
    await expect(get(`${s.url}/v2/health/live`)).rejects.toThrow();
  });
});
