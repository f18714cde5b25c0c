import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ZodError } from 'zod';
import { CATALOGUE, CloudEventEnvelope, eventContract, routingKey, type EventContract, type EventData } from '../src';
import { buildAsyncApi, buildJsonSchemas, toJsonFile } from '../src/asyncapi';
import * as billing from '../src/events/billing';
import * as dispatch from '../src/events/dispatch';
import * as feedback from '../src/events/feedback';
import * as intake from '../src/events/intake';
import * as repairshop from '../src/events/repairshop';
import * as reporting from '../src/events/reporting';
import { SAMPLES } from './samples';

/** Copied from DOMAIN.md, "Event catalogue (v1)": one entry per type, slashed rows spelled out. */
const DOMAIN_TYPES = [
  'intake.call.registered.v1',
  'intake.call.reclassified.v1',
  'intake.call.carried-over.v1',
  'intake.call.cancelled.v1',
  'intake.call.closed.v1',
  'dispatch.technician.assigned.v1',
  'dispatch.technician.arrived.v1',
  'dispatch.sla.at-risk.v1',
  'dispatch.sla.breached.v1',
  'dispatch.visit.completed.v1',
  'dispatch.product.taken-to-shop.v1',
  'repairshop.product.checked-in.v1',
  'repairshop.repair.overdue.v1',
  'repairshop.repair.completed.v1',
  'repairshop.product.returned.v1',
  'billing.invoice.issued.v1',
  'billing.payment.recorded.v1',
  'billing.contract.created.v1',
  'billing.contract.renewed.v1',
  'billing.contract.expiring.v1',
  'billing.contract.expired.v1',
  'feedback.survey.sent.v1',
  'feedback.survey.answered.v1',
  'feedback.complaint.received.v1',
  'feedback.complaint.escalated.v1',
  'feedback.complaint.resolved.v1',
  'feedback.complaint.customer-notified.v1',
  'feedback.technician.evaluated.v1',
  'reporting.director-report.signed.v1',
  'reporting.director-report.received.v1',
];

const PRODUCER_BY_PREFIX: Record<string, string> = {
  intake: 'call-intake',
  dispatch: 'dispatch',
  repairshop: 'repair-shop',
  billing: 'billing',
  feedback: 'customer-feedback',
  reporting: 'reporting',
};

const meta = { source: '/aftersales/test', subject: 'agg-1', time: new Date('2025-03-04T08:30:00Z') };
const sample = (c: EventContract) => {
  const data = SAMPLES[c.type];
  if (!data) throw new Error(`test/samples.ts has no sample for ${c.type}`);
  return data as EventData<EventContract>;
};
// The catalogue is a tuple of differently typed contracts; the tests treat them alike.
const contracts: readonly EventContract[] = CATALOGUE;

describe('catalogue', () => {
  it('holds exactly the types of DOMAIN.md', () => {
    expect(CATALOGUE.map((c) => c.type).sort()).toEqual([...DOMAIN_TYPES].sort());
  });

  it('lists every contract the event modules export', () => {
    const exported = [intake, dispatch, repairshop, billing, feedback, reporting]
      .flatMap((m) => Object.values(m))
      .filter((v): v is EventContract => typeof v === 'object' && v !== null && 'create' in v && 'type' in v);
    expect(new Set(exported)).toEqual(new Set(CATALOGUE));
  });

  const byType = contracts.map((c) => [c.type, c] as const);
  it.each(byType)('%s is produced by the service its name starts with', (type, c) => {
    expect(c.producer).toBe(PRODUCER_BY_PREFIX[type.split('.')[0]!]);
    expect(c.consumers).not.toContain(c.producer);
    expect(c.description.length).toBeGreaterThan(10);
  });

  it('looks contracts up by type', () => {
    expect(eventContract('billing.invoice.issued.v1')).toBe(billing.InvoiceIssuedV1);
    expect(eventContract('billing.invoice.issued.v2')).toBeUndefined();
  });
});

describe.each(contracts.map((c) => [c.type, c] as const))('%s', (type, contract) => {
  it('create() builds a valid CloudEvent', () => {
    const event = contract.create(sample(contract), meta);
    expect(CloudEventEnvelope.parse(event)).toEqual(event);
    expect(event).toMatchObject({ type, subject: 'agg-1', branchid: 'br-north', time: '2025-03-04T08:30:00.000Z' });
    expect(routingKey(event.type, event.branchid)).toBe(`${type}.br-north`);
  });

  // Every field, top-level, must be rejected with an error that names it.
  it.each(Object.keys(contract.schema.shape))('rejects a bad %s, naming it', (field) => {
    let error: unknown;
    try {
      contract.create({ ...sample(contract), [field]: null } as never, meta);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ZodError);
    expect((error as ZodError).issues[0]!.path[0]).toBe(field);
    expect((error as ZodError).message).toContain(`"${field}"`);
  });
});

describe('generated documents', () => {
  const generated = path.resolve(__dirname, '../generated');
  const expectCurrent = (file: string, fresh: string) => {
    const onDisk = readFileSync(path.join(generated, file), 'utf8');
    if (onDisk !== fresh) throw new Error(`packages/contracts/generated/${file} is stale: run pnpm generate`);
  };

  it('asyncapi.json is current', () => {
    expectCurrent('asyncapi.json', toJsonFile(buildAsyncApi()));
  });

  it('schemas/ are current', () => {
    const fresh = buildJsonSchemas();
    const files = readdirSync(path.join(generated, 'schemas')).sort();
    if (JSON.stringify(files) !== JSON.stringify(Object.keys(fresh).sort())) {
      throw new Error(`packages/contracts/generated/schemas holds other files than the catalogue's: run pnpm generate`);
    }
    for (const [file, schema] of Object.entries(fresh)) expectCurrent(`schemas/${file}`, toJsonFile(schema));
  });

  it('asyncapi.json is a valid AsyncAPI 3 document', async () => {
    const { document, diagnostics } = await new Parser().parse(buildAsyncApi());
    const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
    expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
    expect(document?.channels().length).toBe(DOMAIN_TYPES.length);
    expect(document?.operations().filterBySend().length).toBe(DOMAIN_TYPES.length);
  });

  it('every schema pins its type and requires only fields a valid event has', () => {
    const schemas = buildJsonSchemas();
    for (const c of contracts) {
      type EventSchema = { properties: { type: { const: string }; data: { required: string[] } } };
      const schema = schemas[`${c.type}.json`] as EventSchema;
      expect(schema.properties.type.const).toBe(c.type);
      const event = c.create(sample(c), meta);
      for (const key of schema.properties.data.required) expect(event.data).toHaveProperty(key);
    }
  });
});
