/**
 * Group commit for writes to one document: the first write to a key goes out at once; writes to the same
 * key that arrive while it is in flight wait and go out together as the next single write. At low load
 * nothing waits; under load, many events' increments of one busy document (a branch's day) become one
 * update instead of many that race for it. Each caller's promise settles with its own item's result.
 */
export class WriteCombiner<T, R> {
  private readonly queues = new Map<string, Array<Waiter<T, R>>>();

  constructor(
    private readonly write: (key: string, items: T[]) => Promise<R[]>,
    private readonly maxBatch = 200,
  ) {}

  submit(key: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      const fresh = [{ item, resolve, reject }];
      this.queues.set(key, fresh);
      void this.drain(key, fresh);
    });
  }

  private async drain(key: string, queue: Array<Waiter<T, R>>): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.splice(0, this.maxBatch);
      try {
        const results = await this.write(
          key,
          batch.map((w) => w.item),
        );
        batch.forEach((w, i) => w.resolve(results[i]));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    this.queues.delete(key);
  }
}

interface Waiter<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}
