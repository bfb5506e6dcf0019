import express from 'express';
import Fastify from 'fastify';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createHandler, loadModel } from '../../src/index.js';

const model = loadModel(readFileSync(fileURLToPath(new URL('../fixtures/scoring/total.pfa.yaml', import.meta.url)), 'utf8'));
const records = [
  { x: 1, y: 2, label: 'a' },
  { x: 1, y: null, label: 'b' },
];
const expected = {
  predictions: [
    { total: 3, label: 'A' },
    { total: 1, label: 'B' },
  ],
};

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  await new Promise((resolve) => server.close(resolve));
}

const post = (url: string, body: string, type = 'application/json') =>
  fetch(url, { method: 'POST', headers: { 'content-type': type }, body });

describe('createHandler', () => {
  it('serves a model from node:http', async () => {
    const server = createServer(createHandler(model, { maxBodyBytes: 2000 }));
    const url = await listen(server);
    try {
      expect(await (await post(url, JSON.stringify({ instances: records }))).json()).toEqual(expected);
      const csv = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', accept: 'text/csv' },
        body: 'x,y,label\n1,2,a\n',
      });
      expect(await csv.text()).toBe('3,A\n');
      const meta = await (await fetch(url)).json();
      expect(meta).toMatchObject({ name: 'Total', version: '1', format: 'pfa', input: { type: 'record', name: 'In' } });
      const bad = await post(url, JSON.stringify([{ x: 1, y: 'no', label: 'a' }]));
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ record: 0, path: '/y' });
      expect((await post(url, '{"instances": [')).status).toBe(400);
      expect((await post(url, JSON.stringify({ instances: Array(200).fill(records[0]) }))).status).toBe(413);
      expect((await fetch(url, { method: 'DELETE' })).status).toBe(405);
    } finally {
      await close(server);
    }
  });

  it('serves a model from Express, with or without a body parser before it', async () => {
    const app = express();
    app.post('/parsed', express.json(), createHandler(model));
    app.post('/raw', createHandler(model));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect(await (await post(`${url}/parsed`, JSON.stringify({ dataframe_records: records }))).json()).toEqual(expected);
      expect(await (await post(`${url}/raw`, JSON.stringify(records))).json()).toEqual(expected);
    } finally {
      await close(server);
    }
  });

  it('serves a model from Fastify, through reply.raw or through handle()', async () => {
    const app = Fastify();
    const handler = createHandler(model);
    app.post('/raw', async (request, reply) => {
      reply.hijack();
      await handler(Object.assign(request.raw, { body: request.body }), reply.raw);
    });
    app.post('/handle', async (request, reply) => {
      const r = await handler.handle({ method: request.method, headers: request.headers, body: request.body });
      return reply.code(r.status).headers(r.headers).send(r.body);
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      expect(await (await post(`${url}/raw`, JSON.stringify({ instances: records }))).json()).toEqual(expected);
      expect(await (await post(`${url}/handle`, JSON.stringify({ instances: records }))).json()).toEqual(expected);
      expect((await post(`${url}/handle`, JSON.stringify([{ x: 1, y: 1, label: 'boom' }]))).status).toBe(422);
    } finally {
      await app.close();
    }
  });
});

describe('createHandler against hostile bodies', () => {
  const handler = createHandler(model, { limits: { maxElements: 50, maxDepth: 8 } });
  const handle = (body: string, type = 'application/json') => handler.handle({ method: 'POST', headers: { 'content-type': type }, body });

  it('answers deep, oversized and failing requests with a 4xx code, and good ones still', async () => {
    const deep = await handle(`{"instances": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(deep.status).toBe(400);
    expect(JSON.parse(deep.body)).toMatchObject({ code: 'too-deep' });
    const many = await handle(JSON.stringify({ instances: Array(20).fill(records[0]) }));
    expect(many.status).toBe(413);
    expect(JSON.parse(many.body)).toMatchObject({ code: 'too-many-elements' });
    const lines = await handle(`${JSON.stringify(records[0])}\n`.repeat(20), 'application/jsonlines');
    expect(lines.status).toBe(413);
    const failed = await handle(JSON.stringify([{ x: 1, y: 2, label: 'boom' }]));
    expect(failed.status).toBe(422);
    expect(JSON.parse(failed.body)).toMatchObject({ record: 0, kind: 'runtime' });
    const good = await handle(JSON.stringify({ instances: records }));
    expect(JSON.parse(good.body)).toEqual(expected);
  });
});
