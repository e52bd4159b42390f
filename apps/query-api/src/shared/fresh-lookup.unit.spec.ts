import { freshLookup } from './fresh-lookup';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('freshLookup', () => {
  let now: number;
  let calls: Array<ReturnType<typeof deferred<string>>>;
  let lookup: (key: string, notBefore: number) => Promise<string>;
  beforeEach(() => {
    now = 0;
    calls = [];
    lookup = freshLookup(
      () => {
        const call = deferred<string>();
        calls.push(call);
        return call.promise;
      },
      () => now,
    );
  });

  it('shares a running lookup with every caller whose moment it does not precede', async () => {
    now = 10;
    const first = lookup('t', 5);
    const second = lookup('t', 10);
    calls[0]!.resolve('v1');
    expect(await Promise.all([first, second])).toEqual(['v1', 'v1']);
    expect(calls).toHaveLength(1);
  });

  it('reuses a finished lookup only for callers that arrived before it began', async () => {
    now = 10;
    const first = lookup('t', 10);
    calls[0]!.resolve('v1');
    await first;
    now = 20;
    expect(await lookup('t', 9)).toBe('v1');
    const later = lookup('t', 11);
    expect(calls).toHaveLength(2);
    calls[1]!.resolve('v2');
    expect(await later).toBe('v2');
  });

  it('makes callers arriving during an older lookup wait for one next lookup, shared among them', async () => {
    now = 10;
    const early = lookup('t', 10);
    now = 12;
    const late1 = lookup('t', 12);
    const late2 = lookup('t', 12);
    expect(calls).toHaveLength(1);
    calls[0]!.resolve('old');
    expect(await early).toBe('old');
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(2);
    calls[1]!.resolve('new');
    expect(await Promise.all([late1, late2])).toEqual(['new', 'new']);
  });

  it('never reuses a failure, and keys do not share', async () => {
    const failing = lookup('a', 0);
    calls[0]!.reject(new Error('down'));
    await expect(failing).rejects.toThrow('down');
    const retry = lookup('a', 0);
    const other = lookup('b', 0);
    expect(calls).toHaveLength(3);
    calls[1]!.resolve('a1');
    calls[2]!.resolve('b1');
    expect(await Promise.all([retry, other])).toEqual(['a1', 'b1']);
  });
});
