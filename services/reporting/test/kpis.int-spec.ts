import { status } from '@grpc/grpc-js';
import { ReadModelStore } from '../src/kpis/infrastructure/read-model.store';
import { startReporting, type Harness } from './harness';
import { EXPECTED_GRPC_KPIS, EXPECTED_KPIS, scriptedDay } from './scripted-day';

jest.setTimeout(120_000);

let h: Harness;
beforeAll(async () => {
  h = await startReporting();
});
afterAll(async () => {
  await h?.close();
});

const DAY = 'from=2026-03-02&to=2026-03-02';

/** Every read-model document, sorted, with the de-duplication keys as a set. */
async function snapshot(): Promise<Record<string, unknown[]>> {
  const store = h.t.app.get(ReadModelStore);
  const out: Record<string, unknown[]> = {};
  for (const name of await store.readModelCollections()) {
    const docs = await store.collection(name).find({}).toArray();
    out[name] = docs
      .map((d) => ({ ...d, ...(d.processed ? { processed: [...d.processed].sort() } : {}) }))
      .sort((a, b) => String(a._id).localeCompare(String(b._id)));
  }
  return out;
}

describe('head-office KPIs from a scripted day of events (real broker and store)', () => {
  let afterFirstPass: Record<string, unknown[]>;

  it('gives KPIs equal to the hand-computed fixture, over REST and gRPC, and as CSV', async () => {
    for (const wave of scriptedDay()) await h.publishAndWait(wave);

    const rest = await h.http('GET', `/kpis?${DAY}&branchIds=br-north,br-south`, 'service-dept', 'head-office');
    expect(rest.status).toBe(200);
    expect(rest.body).toEqual({ from: '2026-03-02', to: '2026-03-02', branches: EXPECTED_KPIS });

    // no branch named: every branch head office sees, by id
    const all = await h.http('GET', `/kpis?${DAY}`, 'service-dept', 'head-office');
    expect(all.body.branches.map((b: { branchId: string }) => b.branchId)).toEqual(['br-north', 'br-south']);

    const grpc = await h.grpc<{ branches: unknown[] }>(
      'getBranchKpis',
      { branchIds: ['br-north', 'br-south'], from: '2026-03-02', to: '2026-03-02' },
      'integrator',
      'head-office',
    );
    expect(grpc.branches).toEqual(EXPECTED_GRPC_KPIS);

    const csv = await h.http('GET', `/kpis.csv?${DAY}&branchIds=br-south`, 'service-dept', 'head-office');
    expect(csv.status).toBe(200);
    const [header, row, end] = csv.text.split('\r\n');
    expect(header.split(',').slice(0, 5)).toEqual(['branch_id', 'calls_a', 'calls_b', 'calls_c', 'carried_over']);
    expect(row).toBe(
      'br-south,1,0,1,0,2,1,0.5,0,0,0,280,1,0,1,4500,4500,EUR,1,2,2,2,2,1,1,' +
        // cancelled, to shop, SLA alerts, contracts, sent, escalated, notified, technician evaluation
        '0,1,1,1,0,0,0,0,1,1,1,1,0,2,1,2,2,2,2',
    );
    expect(header.split(',').slice(25)).toEqual([
      'calls_cancelled',
      'taken_to_shop',
      'sla_urban_at_risk',
      'sla_urban_breached',
      'sla_suburban_at_risk',
      'sla_suburban_breached',
      'contracts_created',
      'contracts_renewed',
      'contracts_expiring',
      'contracts_expired',
      'surveys_sent',
      'complaints_escalated',
      'complaints_customer_notified',
      'technician_evaluations',
      'technician_evaluation_surveys',
      'technician_attitude',
      'technician_skill',
      'technician_arrival_time',
      'technician_promise_keeping',
    ]);
    expect(end).toBe('');

    // n5 was registered at 00:10 local on 03-03: it counts on that business day, not on 03-02
    const twoDays = await h.http(
      'GET',
      '/kpis?from=2026-03-02&to=2026-03-03&branchIds=br-north',
      'director',
      'br-north',
    );
    expect(twoDays.body.branches[0].callsByCategory).toEqual({ categoryA: 1, categoryB: 2, categoryC: 2 });

    // s3 was cancelled at 00:30 local on 03-03: it counts on that business day
    const south03 = await h.http(
      'GET',
      '/kpis?from=2026-03-03&to=2026-03-03&branchIds=br-south',
      'manager',
      'br-south',
    );
    expect(south03.body.branches[0]).toMatchObject({ callsCancelled: 1, takenToShop: 0, surveysSent: 0 });

    // a period in February shows February's evaluations only
    const feb = await h.http('GET', '/kpis?from=2026-02-27&to=2026-02-28', 'director', 'br-north');
    expect(feb.body.branches[0].technicianEvaluation).toEqual({
      evaluations: 1,
      surveys: 10,
      attitude: 1,
      skill: 1,
      arrivalTime: 1,
      promiseKeeping: 1,
    });

    // technician minutes per category, from visits and repair cards
    const tom = await h.http('GET', '/branches/br-north/technician-reports/2026-03-02/t-n1', 'director', 'br-north');
    expect(tom.body).toMatchObject({ minutesA: 45, minutesB: 30, minutesC: 0, minutesD: 0, state: 'draft' });
    const nora = await h.http('GET', '/branches/br-north/technician-reports/2026-03-02/t-n2', 'director', 'br-north');
    expect(nora.body).toMatchObject({ minutesA: 0, minutesB: 0, minutesC: 90 });

    afterFirstPass = await snapshot();
    expect(afterFirstPass.kpi_days_2026_03.length).toBe(4); // north 03-02 and 03-03, south 03-02 and 03-03
    expect(afterFirstPass.technician_evaluations.length).toBe(5); // t-n1 Feb and Mar, t-n2, t-s1, t-s2 Mar
  });

  it('changes nothing when every event is delivered again', async () => {
    for (const wave of scriptedDay()) await h.publishAndWait(wave);
    const rest = await h.http('GET', `/kpis?${DAY}&branchIds=br-north,br-south`, 'service-dept', 'head-office');
    expect(rest.body.branches).toEqual(EXPECTED_KPIS);
    expect(await snapshot()).toEqual(afterFirstPass);
  });

  it('rebuilds identical read models from the stored events', async () => {
    const events = scriptedDay().flat().length;
    // a read model damaged by hand is repaired by the rebuild
    await h.t.app
      .get(ReadModelStore)
      .collection('kpi_days_2026_03')
      .updateOne({ _id: 'br-north|2026-03-02' } as never, { $inc: { callsA: 7 } });
    const rebuilt = await h.http('POST', '/admin/read-models/rebuild', 'service-dept', 'head-office');
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body).toEqual({ replayed: events, skipped: [] });
    expect(await snapshot()).toEqual(afterFirstPass);
    const rest = await h.http('GET', `/kpis?${DAY}&branchIds=br-north,br-south`, 'service-dept', 'head-office');
    expect(rest.body.branches).toEqual(EXPECTED_KPIS);
  });

  it('shows branch roles only their own branch and validates the period', async () => {
    expect((await h.http('GET', `/kpis?${DAY}&branchIds=br-south`, 'director', 'br-north')).status).toBe(403);
    const own = await h.http('GET', `/kpis?${DAY}`, 'manager', 'br-south');
    expect(own.body.branches).toEqual([EXPECTED_KPIS[1]]);
    expect((await h.http('GET', `/kpis?${DAY}`, 'clerk', 'br-north')).status).toBe(403);
    expect((await h.http('GET', `/kpis?${DAY}&branchIds=br-nowhere`, 'service-dept', 'head-office')).status).toBe(404);
    const bad = await h.http('GET', '/kpis?from=2026-03-05&to=2026-03-02', 'service-dept', 'head-office');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'to', message: 'must not be before from' }]);
    expect((await h.http('POST', '/admin/read-models/rebuild', 'director', 'br-north')).status).toBe(403);
    await expect(
      h.grpc(
        'getBranchKpis',
        { branchIds: ['br-south'], from: '2026-03-02', to: '2026-03-02' },
        'director',
        'br-north',
      ),
    ).rejects.toMatchObject({ code: status.PERMISSION_DENIED });
  });
});
