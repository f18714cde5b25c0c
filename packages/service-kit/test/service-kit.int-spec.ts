import { connect, createServer, type Server } from 'node:net';
import { testStore, type TestStore } from '@aftersales/testing';
import { getConnectionToken } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createTestApp, mintDevToken, type Role, type TestApp } from '../src';
import { KitTestModule } from './fixtures/kit-test.module';

const SECRET = 'integration-test-secret-of-at-least-32-chars';
const token = (roles: Role[], branchId = 'br-north') => mintDevToken({ roles, branchId, secret: SECRET });
const env = (store: TestStore) => ({ AUTH_DEV_SECRET: SECRET, MONGO_DB: store.dbName('kit'), LOG_LEVEL: 'info' });

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Forwards `port` to the store, as if the store came up there late. */
async function proxyToStore(port: number, storeUrl: string): Promise<Server> {
  const target = new URL(storeUrl);
  const server = createServer((client) => {
    const upstream = connect(Number(target.port || 27017), target.hostname);
    client.pipe(upstream).pipe(client);
    const drop = () => (client.destroy(), upstream.destroy());
    client.on('error', drop);
    upstream.on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

async function eventually(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

let store: TestStore;
let t: TestApp;

beforeAll(async () => {
  store = testStore();
  t = await createTestApp(KitTestModule, { env: env(store) });
});
afterAll(async () => {
  await t?.close();
  await store?.dispose();
});

describe('health', () => {
  it('is live', async () => {
    const res = await request(t.url).get('/health/live').expect(200);
    expect(res.body.status).toBe('ok');
  });

  it('is ready when the store answers a ping', async () => {
    const res = await request(t.url).get('/health/ready');
    expect(res.status).toBe(200);
    expect(res.body.info.mongo.status).toBe('up');
  });

  it('is not ready when the store is unreachable, and says why', async () => {
    const down = await createTestApp(KitTestModule, {
      env: { ...env(store), MONGO_URL: `mongodb://127.0.0.1:${await closedPort()}/` },
    });
    try {
      const res = await request(down.url).get('/health/ready');
      expect(res.status).toBe(503);
      expect(res.body.error.mongo.status).toBe('down');
      expect(res.body.error.mongo.message).toMatch(/not connected/);
      await request(down.url).get('/health/live').expect(200); // alive, just not ready
    } finally {
      await down.close();
    }
  });

  it('becomes ready once a store that was down at start-up comes up', async () => {
    const port = await closedPort();
    const late = await createTestApp(KitTestModule, {
      env: { ...env(store), MONGO_URL: `mongodb://127.0.0.1:${port}/` },
    });
    let proxy: Server | undefined;
    try {
      // The first attempt has to fail for good (server selection timeout) before the store appears,
      // so that what brings the service back is the kit's retry, not the driver's first attempt.
      await eventually(async () => {
        const res = await request(late.url).get('/health/ready');
        return res.status === 503 && /\(disconnected\)/.test(res.body.error.mongo.message);
      }, 10_000);
      proxy = await proxyToStore(port, store.url);
      await eventually(async () => (await request(late.url).get('/health/ready')).status === 200, 10_000);
    } finally {
      await late.close();
      proxy?.close();
    }
  }, 30_000);
});

describe('metrics', () => {
  it('records the HTTP duration histogram by route pattern, not raw URL', async () => {
    await request(t.url)
      .get('/branches/br-north/things/t-42')
      .set('authorization', `Bearer ${await token(['clerk'])}`);
    const res = await request(t.url).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      /kit_test_http_request_duration_seconds_count\{method="GET",route="\/branches\/:branchId\/things\/:id",status="200"\} [1-9]/,
    );
    expect(res.text).not.toContain('t-42');
    expect(res.text).toContain('process_cpu_user_seconds_total'); // default metrics, on this app's registry
  });

  it('counts store operations by command and collection', async () => {
    const conn = t.app.get<Connection>(getConnectionToken());
    await conn.asPromise();
    const things = conn.collection('metric_things');
    await things.insertOne({ _id: 'm1' } as never);
    await things.updateOne({ _id: 'm1' } as never, { $set: { n: 1 } });
    await things.findOne({ _id: 'm1' } as never);
    const res = await request(t.url).get('/metrics').expect(200);
    const count = (command: string) =>
      Number(
        new RegExp(
          `kit_test_store_operations_total\\{command="${command}",collection="metric_things",outcome="ok"\\} (\\d+)`,
        ).exec(res.text)?.[1] ?? 0,
      );
    expect([count('insert'), count('update'), count('find')]).toEqual([1, 1, 1]);
    expect(res.text).toMatch(/kit_test_store_operation_duration_seconds_count\{kind="write"\} [1-9]/);
  });
});

describe('auth', () => {
  const path = '/branches/br-north/things/t-1';

  it('401 without a token, as problem+json', async () => {
    const res = await request(t.url).get(path).expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized', instance: path });
  });

  it('401 with a token signed by another secret', async () => {
    const forged = await mintDevToken({ roles: ['clerk'], branchId: 'br-north', secret: 'x'.repeat(40) });
    await request(t.url).get(path).set('authorization', `Bearer ${forged}`).expect(401);
  });

  it('403 for a role the route does not allow', async () => {
    const res = await request(t.url)
      .get(path)
      .set('authorization', `Bearer ${await token(['technician'])}`)
      .expect(403);
    expect(res.body.detail).toMatch(/clerk, director, service-dept/);
  });

  it('403 for a branch user reading another branch', async () => {
    const res = await request(t.url)
      .get(path)
      .set('authorization', `Bearer ${await token(['clerk'], 'br-south')}`)
      .expect(403);
    expect(res.body).toMatchObject({ status: 403, type: 'urn:aftersales:problem:forbidden' });
  });

  it('200 for the own branch, and for head office on any branch', async () => {
    await request(t.url)
      .get(path)
      .set('authorization', `Bearer ${await token(['clerk'])}`)
      .expect(200);
    const res = await request(t.url)
      .get(path)
      .set('authorization', `Bearer ${await token(['service-dept'], 'head-office')}`)
      .expect(200);
    expect(res.body).toEqual({ id: 't-1', branchId: 'br-north' });
  });
});

describe('errors', () => {
  const auth = async () => ({ authorization: `Bearer ${await token(['clerk'])}` });

  it('400 problem+json naming each bad field', async () => {
    const res = await request(t.url)
      .post('/branches/br-north/things')
      .set(await auth())
      .send({ name: '', quantity: 2, contact: { phone: 'call me' } })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'urn:aftersales:problem:validation', status: 400, title: 'Bad Request' });
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['contact.phone', 'name']);
    expect(res.body.errors.find((e: { field: string }) => e.field === 'contact.phone').message).toBe(
      'not a phone number',
    );
  });

  it('accepts a valid body', async () => {
    const body = { name: 'kettle', quantity: 1, contact: { phone: '+34 600 000 000' } };
    const res = await request(t.url)
      .post('/branches/br-north/things')
      .set(await auth())
      .send(body)
      .expect(201);
    expect(res.body).toEqual({ branchId: 'br-north', ...body });
  });

  it('400 for malformed JSON', async () => {
    const res = await request(t.url)
      .post('/branches/br-north/things')
      .set(await auth())
      .set('content-type', 'application/json')
      .send('{"name":')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('404 from a domain NotFoundError', async () => {
    const res = await request(t.url)
      .get('/branches/br-north/things/missing')
      .set(await auth())
      .expect(404);
    expect(res.body).toMatchObject({
      type: 'urn:aftersales:problem:not-found',
      title: 'Not Found',
      status: 404,
      detail: 'thing missing does not exist',
      instance: '/branches/br-north/things/missing',
    });
  });

  it('409 from a domain ConflictError', async () => {
    const res = await request(t.url)
      .post('/branches/br-north/things/t-1/close')
      .set(await auth())
      .expect(409);
    expect(res.body).toMatchObject({
      type: 'urn:aftersales:problem:conflict',
      status: 409,
      detail: 'thing t-1 is already closed',
    });
  });

  it('404 problem+json for an unknown route', async () => {
    const res = await request(t.url)
      .get('/nowhere')
      .set(await auth())
      .expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('500 without internals for an unexpected error, which is logged', async () => {
    const res = await request(t.url)
      .get('/branches/br-north/things/t-1/crash')
      .set(await auth())
      .expect(500);
    expect(res.body).toMatchObject({ status: 500, title: 'Internal Server Error' });
    expect(JSON.stringify(res.body)).not.toContain('hunter2');
    expect(t.logs.lines().some((l) => String(l.err ? JSON.stringify(l.err) : l.msg).includes('hunter2'))).toBe(true);
  });
});

describe('correlation', () => {
  it('echoes the caller’s correlation id and logs with it', async () => {
    const res = await request(t.url)
      .get('/branches/br-north/things/t-7')
      .set('authorization', `Bearer ${await token(['clerk'])}`)
      .set('x-correlation-id', 'corr-abc-123')
      .expect(200);
    expect(res.headers['x-correlation-id']).toBe('corr-abc-123');
    const lines = t.logs.lines().filter((l) => l.correlationId === 'corr-abc-123');
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['reading thing t-7', 'request completed']));
    expect(lines.every((l) => l.service === 'kit-test')).toBe(true);
  });

  it('generates an id when none (or a junk one) is given', async () => {
    const res = await request(t.url).get('/health/live').set('x-correlation-id', 'bad id; with {junk}').expect(200);
    expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('puts the correlation id in problem documents', async () => {
    const res = await request(t.url)
      .get('/branches/br-north/things/t-1')
      .set('x-correlation-id', 'corr-401')
      .expect(401);
    expect(res.body.correlationId).toBe('corr-401');
  });
});

describe('openapi', () => {
  it('serves the document with bearer auth and the zod DTO schema', async () => {
    const res = await request(t.url).get('/openapi.json').expect(200);
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const dto = res.body.components.schemas.CreateThingDto;
    expect(dto.required).toEqual(expect.arrayContaining(['name', 'quantity', 'contact']));
    expect(dto.properties.quantity).toMatchObject({ type: 'integer' });
    await request(t.url).get('/docs').expect(200);
  });
});
