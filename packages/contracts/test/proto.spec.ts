import * as protoLoader from '@grpc/proto-loader';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { GRPC_PACKAGES, grpcOptions, PROTO_ROOT, type GrpcPackage } from '../src/grpc';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const BUF = path.join(ROOT, 'packages/contracts/node_modules/.bin/buf');
const OUT = 'packages/contracts/src/generated/proto';

/** Relative paths of all files below `dir`, sorted. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();

describe('proto', () => {
  it('passes buf lint', async () => {
    // buf prints the violations on stdout; put them in the failure message.
    await run(BUF, ['lint', 'proto'], { cwd: ROOT }).catch((e: { stdout?: string; stderr?: string }) => {
      throw new Error(`buf lint proto failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    });
  });

  it('generated TypeScript is current', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'contracts-proto-'));
    try {
      await run(BUF, ['generate', '--template', 'proto/buf.gen.yaml', '-o', tmp], { cwd: ROOT });
      const fresh = path.join(tmp, OUT);
      const committed = path.join(ROOT, OUT);
      const stale = (what: string) => new Error(`${OUT}: ${what} is stale: run pnpm generate`);
      if (JSON.stringify(filesUnder(fresh)) !== JSON.stringify(filesUnder(committed))) throw stale('the file list');
      for (const file of filesUnder(fresh)) {
        if (readFileSync(path.join(fresh, file), 'utf8') !== readFileSync(path.join(committed, file), 'utf8')) {
          throw stale(file);
        }
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('GRPC_PACKAGES lists every .proto file under its own package', () => {
    const listed = Object.values(GRPC_PACKAGES).flat().sort();
    expect(filesUnder(PROTO_ROOT).filter((f) => f.endsWith('.proto'))).toEqual(listed);
    for (const [pkg, files] of Object.entries(GRPC_PACKAGES)) {
      for (const file of files) expect(readFileSync(path.join(PROTO_ROOT, file), 'utf8')).toContain(`package ${pkg};`);
    }
  });

  // The loader options are what make run-time objects match the ts-proto interfaces: prove it on the wire.
  it('grpcOptions() loads each package and decodes into the ts-proto shapes', () => {
    for (const pkg of Object.keys(GRPC_PACKAGES) as GrpcPackage[]) {
      const { protoPath, loader } = grpcOptions(pkg);
      expect(Object.keys(protoLoader.loadSync(protoPath, loader)).some((k) => k.startsWith(`${pkg}.`))).toBe(true);
    }
    const { protoPath, loader } = grpcOptions('aftersales.billing.v1');
    const pricing = protoLoader.loadSync(protoPath, loader)['aftersales.billing.v1.Pricing'];
    const quote = (pricing as protoLoader.ServiceDefinition).Quote!;
    expect(quote.originalName).toBe('quote'); // the ts-proto method name Nest matches handlers by
    const decoded = quote.responseDeserialize(quote.responseSerialize({ amountMinor: 12345, currency: 'EUR' }));
    // int64 as number, and the fields proto3 left off the wire present with their defaults.
    const expected = { amountMinor: 12345, currency: 'EUR', cashLimitMinor: 0, withinCashLimit: false, lines: [] };
    expect(decoded).toEqual(expected);
  });
});
