import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';

export interface TestStore {
  url: string;
  /** Database names unique to this test file; pass to the code under test. */
  dbName(service: string): string;
  connect(service: string): Promise<mongoose.Connection>;
  dispose(): Promise<void>;
}

/** Databases of this test file's own on the run's store, dropped at the end. */
export function testStore(): TestStore {
  const url = process.env.MONGO_URL;
  if (!url) throw new Error('MONGO_URL is not set: run the tests through jest (global setup sets it)');
  const prefix = `t${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const connections: mongoose.Connection[] = [];
  const dbName = (service: string) => `${prefix}_${service.replace(/-/g, '_')}`;
  return {
    url,
    dbName,
    async connect(service) {
      const conn = await mongoose.createConnection(url, { dbName: dbName(service) }).asPromise();
      connections.push(conn);
      return conn;
    },
    async dispose() {
      for (const conn of connections) {
        await conn.dropDatabase().catch(() => undefined);
        await conn.close();
      }
    },
  };
}
