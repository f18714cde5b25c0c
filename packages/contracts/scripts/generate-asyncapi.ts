// Writes generated/asyncapi.json and generated/schemas/<type>.json from the catalogue. Run: pnpm generate.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildAsyncApi, buildJsonSchemas, toJsonFile } from '../src/asyncapi';

const out = path.resolve(__dirname, '../generated');
const schemasDir = path.join(out, 'schemas');
mkdirSync(schemasDir, { recursive: true });

writeFileSync(path.join(out, 'asyncapi.json'), toJsonFile(buildAsyncApi()));
const schemas = buildJsonSchemas();
// Schemas of types no longer in the catalogue must not linger.
for (const file of readdirSync(schemasDir)) if (!(file in schemas)) rmSync(path.join(schemasDir, file));
for (const [file, schema] of Object.entries(schemas)) writeFileSync(path.join(schemasDir, file), toJsonFile(schema));
console.log(`asyncapi.json and ${Object.keys(schemas).length} schemas written to ${path.relative(process.cwd(), out)}`);
