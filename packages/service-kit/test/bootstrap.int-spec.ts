import path from 'node:path';
import { testStore, type TestStore } from '@aftersales/testing';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { bootstrapService } from '../src';
import { KitTestModule } from './fixtures/kit-test.module';

// bootstrapService reads the real process environment, as main.ts does.
const saved = { ...process.env };
let store: TestStore;
let app: INestApplication | undefined;

beforeAll(() => {
  store = testStore();
  Object.assign(process.env, {
    PORT: '0',
    GRPC_PORT: '0',
    MONGO_DB: store.dbName('kit'),
    AUTH_DEV_SECRET: 'bootstrap-test-secret-of-32-characters',
    LOG_LEVEL: 'error',
  });
});
afterAll(async () => {
  await app?.close();
  process.env = saved;
  await store?.dispose();
});

it('starts the service as main.ts does: HTTP with health, docs and the guard, plus gRPC', async () => {
  app = await bootstrapService(KitTestModule, {
    name: 'kit-test',
    grpc: { package: 'kit.v1', protoPath: path.join(__dirname, 'fixtures/kit.proto') },
  });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  await request(url).get('/health/ready').expect(200);
  await request(url).get('/openapi.json').expect(200);
  const res = await request(url).get('/branches/br-north/things/t-1').expect(401);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
});
