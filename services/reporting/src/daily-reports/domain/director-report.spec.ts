import { ConflictError } from '@aftersales/service-kit/domain-errors';
import {
  newDirectorReport,
  receiveDirectorReport,
  refreshDraft,
  reviseDirectorReport,
  signDirectorReport,
  submitDirectorReport,
} from './director-report';
import { addDEntry, newTechnicianReport, reportMinutes, submitTechnicianReport } from './technician-report';

const at = new Date('2026-03-02T18:30:00Z');
const people = [{ personId: 't1', name: 'Tom', minutesA: 60, minutesB: 0, minutesC: 30, minutesD: 15 }];

describe('director daily report [16][17]', () => {
  it('goes draft → submitted → signed → received, recording who and when', () => {
    const draft = newDirectorReport('br-north', '2026-03-02', 1, []);
    const submitted = submitDirectorReport(draft, people, 'dir-1', at);
    expect(submitted).toMatchObject({ state: 'submitted', submittedBy: 'dir-1', people });
    const signed = signDirectorReport(submitted, 'mgr-1', at);
    expect(signed).toMatchObject({ state: 'signed', signedBy: 'mgr-1', signedAt: at.toISOString() });
    expect(receiveDirectorReport(signed, 'ho-1', at)).toMatchObject({ state: 'received', receivedBy: 'ho-1' });
  });

  it('refuses every other transition with a conflict', () => {
    const draft = newDirectorReport('br-north', '2026-03-02', 1, []);
    const submitted = submitDirectorReport(draft, people, 'dir-1', at);
    const signed = signDirectorReport(submitted, 'mgr-1', at);
    expect(() => signDirectorReport(draft, 'mgr-1', at)).toThrow(ConflictError);
    expect(() => receiveDirectorReport(submitted, 'ho', at)).toThrow(ConflictError);
    expect(() => submitDirectorReport(submitted, people, 'dir-1', at)).toThrow(ConflictError);
    expect(() => signDirectorReport(signed, 'mgr-1', at)).toThrow(ConflictError);
    // signed = immutable: no refresh, no resubmission
    expect(() => refreshDraft(signed, [])).toThrow(ConflictError);
    expect(() => submitDirectorReport(signed, [], 'dir-1', at)).toThrow(ConflictError);
    expect(() => reviseDirectorReport(draft, [])).toThrow(ConflictError);
  });

  it('corrects a signed report with a new draft revision', () => {
    const signed = signDirectorReport(
      submitDirectorReport(newDirectorReport('br-north', '2026-03-02', 1, []), people, 'd', at),
      'm',
      at,
    );
    const revised = reviseDirectorReport(signed, []);
    expect(revised).toEqual({
      branchId: 'br-north',
      businessDate: '2026-03-02',
      revision: 2,
      state: 'draft',
      people: [],
    });
    expect(signed.state).toBe('signed');
  });
});

describe('technician daily report [15]', () => {
  const live = { minutesA: 100, minutesB: 20, minutesC: 0 };

  it('adds D entries to a draft and freezes A/B/C at submission', () => {
    let report = newTechnicianReport('br-north', '2026-03-02', 't1');
    report = addDEntry(report, { kind: 'training', minutes: 30 }, live);
    report = addDEntry(report, { kind: 'inspection', minutes: 15 }, live);
    report = submitTechnicianReport(report, live, at);
    expect(reportMinutes(report, { minutesA: 999, minutesB: 0, minutesC: 0 })).toEqual({
      minutesA: 100,
      minutesB: 20,
      minutesC: 0,
      minutesD: 45,
    });
    expect(() => addDEntry(report, { kind: 'training', minutes: 5 }, live)).toThrow(ConflictError);
    expect(() => submitTechnicianReport(report, live, at)).toThrow(ConflictError);
  });

  it('refuses a day over 1440 minutes', () => {
    const report = newTechnicianReport('br-north', '2026-03-02', 't1');
    expect(() => addDEntry(report, { kind: 'training', minutes: 1321 }, live)).toThrow(/1440/);
  });
});
