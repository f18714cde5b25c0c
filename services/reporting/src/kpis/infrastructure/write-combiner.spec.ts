import { WriteCombiner } from './write-combiner';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('WriteCombiner', () => {
  it('writes the first item at once and merges what arrives meanwhile into the next write, per key', async () => {
    const writes: Array<[string, number[]]> = [];
    const gates: Array<() => void> = [];
    const combiner = new WriteCombiner<number, string>(async (key, items) => {
      writes.push([key, items]);
      await new Promise<void>((resolve) => gates.push(resolve));
      return items.map((i) => `${key}:${i}`);
    });

    const first = combiner.submit('a', 1);
    const other = combiner.submit('b', 9);
    await tick();
    const later = [combiner.submit('a', 2), combiner.submit('a', 3)];
    expect(writes).toEqual([
      ['a', [1]],
      ['b', [9]],
    ]);

    gates.shift()!(); // a:[1] done → a:[2,3] goes out as one write
    await tick();
    expect(writes).toEqual([
      ['a', [1]],
      ['b', [9]],
      ['a', [2, 3]],
    ]);
    while (gates.length) gates.shift()!();
    expect(await Promise.all([first, other, ...later])).toEqual(['a:1', 'b:9', 'a:2', 'a:3']);
  });

  it('fails every item of a failed write, and carries on with the next', async () => {
    let calls = 0;
    const combiner = new WriteCombiner<number, number>(async (_key, items) => {
      calls++;
      if (calls === 1) throw new Error('store down');
      return items;
    });
    await expect(combiner.submit('a', 1)).rejects.toThrow('store down');
    await expect(combiner.submit('a', 2)).resolves.toBe(2);
  });
});
