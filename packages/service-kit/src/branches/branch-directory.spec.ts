import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_BRANCHES_FILE } from '../config/base-schema';
import { NotFoundError } from '../errors/domain-errors';
import { BranchDirectory, loadBranches, UnknownBranchError } from './branch-directory';

function fileWith(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'branches-')), 'branches.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('the repository branch directory', () => {
  const directory = BranchDirectory.fromFile(DEFAULT_BRANCHES_FILE);

  it('has the two branches, Madrid time, EUR, 09:00–18:00 on weekdays only', () => {
    expect(directory.all().map((b) => b.id)).toEqual(['br-north', 'br-south']);
    const north = directory.get('br-north');
    expect(north).toMatchObject({ timezone: 'Europe/Madrid', currency: 'EUR', cashLimitMinor: 15000 });
    expect(north.businessHours.mon).toEqual([{ from: '09:00', to: '18:00' }]);
    expect(north.businessHours.sat).toEqual([]);
    expect(north.holidays).toContain('2026-12-25');
    expect(north.onDuty.directorId).toBeTruthy();
  });

  it('decides urban or suburban by postal-code prefix, ignoring spaces', () => {
    expect(directory.zoneOf('br-north', '28013')).toBe('urban');
    expect(directory.zoneOf('br-north', '28 100')).toBe('suburban');
    expect(directory.zoneOf('br-south', '28100')).toBe('urban'); // each branch has its own rule
  });

  it('rejects an unknown branch id with a clear 404-kind error', () => {
    expect(() => directory.get('br-east')).toThrow('unknown branch "br-east"');
    expect(() => directory.zoneOf('br-east', '28013')).toThrow(UnknownBranchError);
    expect(() => directory.get('br-east')).toThrow(NotFoundError);
  });
});

describe('loadBranches', () => {
  const valid = loadBranches(DEFAULT_BRANCHES_FILE);

  it('names the file and the bad field', () => {
    const broken = [
      {
        ...valid[0],
        timezone: 'Mars/Olympus',
        businessHours: { ...valid[0].businessHours, mon: [{ from: '18:00', to: '09:00' }] },
      },
    ];
    const file = fileWith({ branches: broken });
    expect(() => loadBranches(file)).toThrow(file);
    expect(() => loadBranches(file)).toThrow('branches.0.timezone: unknown IANA time zone');
    expect(() => loadBranches(file)).toThrow('branches.0.businessHours.mon.0: "from" must be before "to"');
  });

  it('rejects duplicate ids, bad holidays and fractional cash limits', () => {
    expect(() => loadBranches(fileWith({ branches: [valid[0], valid[0]] }))).toThrow('branch ids must be unique');
    expect(() => loadBranches(fileWith({ branches: [{ ...valid[0], holidays: ['2026-13-01'] }] }))).toThrow(
      'branches.0.holidays.0',
    );
    expect(() => loadBranches(fileWith({ branches: [{ ...valid[0], cashLimitMinor: 150.5 }] }))).toThrow(
      'branches.0.cashLimitMinor',
    );
  });

  it('reports unreadable JSON with the file name', () => {
    const file = fileWith('{ not json');
    expect(() => loadBranches(file)).toThrow(`branches file ${file}:`);
  });
});
