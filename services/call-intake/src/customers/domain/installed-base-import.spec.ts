import { duplicateSerials, groupByCustomer, type ImportRow } from './installed-base-import';

const row = (line: number, name: string, phone: string, serial: string): ImportRow => ({
  line,
  name,
  phone,
  address: 'Calle 1',
  postalCode: '28013',
  model: 'WM-1',
  serial,
});

describe('installed-base import rules', () => {
  it('groups rows with the same name and phone into one customer, in file order', () => {
    const groups = groupByCustomer([
      row(2, 'Ana', '600111222', 'S1'),
      row(3, 'Luis', '600111333', 'S2'),
      row(4, 'ana', '600111222', 'S3'),
      row(5, 'Ana', '600999999', 'S4'),
    ]);
    expect(groups.map((g) => [g.firstLine, g.rows.map((r) => r.line)])).toEqual([
      [2, [2, 4]],
      [3, [3]],
      [5, [5]],
    ]);
  });

  it('reports every repeated serial with the line it repeats', () => {
    expect(
      duplicateSerials([
        row(2, 'A', '1', 'S1'),
        row(3, 'B', '2', 'S2'),
        row(4, 'C', '3', 'S1'),
        row(5, 'D', '4', 'S1'),
      ]),
    ).toEqual([
      { field: 'line 4: serial', message: 'serial "S1" already on line 2' },
      { field: 'line 5: serial', message: 'serial "S1" already on line 2' },
    ]);
  });
});
