import path from 'node:path';
import { credentials, loadPackageDefinition, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { testStore, type TestStore } from '@aftersales/testing';
import { createTestApp, mintDevToken, type Role, type TestApp } from '../src';
import { KitTestModule } from './fixtures/kit-test.module';

const SECRET = 'grpc-test-secret-of-at-least-32-characters';
const PROTO = path.join(__dirname, 'fixtures/kit.proto');

type Thing = { id: string; branchId: string };
type ThingsClient = {
  getThing(req: Thing, md: Metadata, cb: (err: ServiceError | null, res?: Thing) => void): void;
  close(): void;
};

let store: TestStore;
let t: TestApp;
let client: ThingsClient;

beforeAll(async () => {
  store = testStore();
  t = await createTestApp(KitTestModule, {
    env: { AUTH_DEV_SECRET: SECRET, MONGO_DB: store.dbName('kit') },
    grpc: { package: 'kit.v1', protoPath: PROTO },
  });
  const pkg = loadPackageDefinition(loadSync(PROTO)) as unknown as {
    kit: { v1: { Things: new (url: string, creds: ReturnType<typeof credentials.createInsecure>) => ThingsClient } };
  };
  client = new pkg.kit.v1.Things(t.grpcUrl!, credentials.createInsecure());
});
afterAll(async () => {
  client?.close();
  await t?.close();
  await store?.dispose();
});

async function call(req: Thing, roles?: Role[], branchId = 'br-north'): Promise<Thing> {
  const md = new Metadata();
  if (roles) md.set('authorization', `Bearer ${await mintDevToken({ roles, branchId, secret: SECRET })}`);
  return new Promise((resolve, reject) => client.getThing(req, md, (err, res) => (err ? reject(err) : resolve(res!))));
}

describe('gRPC through the same guard and error mapping', () => {
  const req = { branchId: 'br-north', id: 't-1' };

  it('answers an authorised caller', async () => {
    await expect(call(req, ['clerk'])).resolves.toEqual(req);
    await expect(call(req, ['integrator'], 'head-office')).resolves.toEqual(req);
  });

  it('UNAUTHENTICATED without a token', async () => {
    await expect(call(req)).rejects.toMatchObject({ code: status.UNAUTHENTICATED });
  });

  it('PERMISSION_DENIED for a wrong role or another branch', async () => {
    await expect(call(req, ['technician'])).rejects.toMatchObject({ code: status.PERMISSION_DENIED });
    await expect(call(req, ['clerk'], 'br-south')).rejects.toMatchObject({ code: status.PERMISSION_DENIED });
  });

  it('NOT_FOUND from a domain NotFoundError, with its message', async () => {
    await expect(call({ ...req, id: 'missing' }, ['clerk'])).rejects.toMatchObject({
      code: status.NOT_FOUND,
      details: 'thing missing does not exist',
    });
  });
});
