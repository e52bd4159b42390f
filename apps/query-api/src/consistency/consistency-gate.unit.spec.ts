import { performance } from 'node:perf_hooks';
import { Histogram, Registry } from 'prom-client';
import { loadQueryApiConfig } from '../config';
import type { PartitionLogEnd } from './consistency';
import { ConsistencyGate, ConsistencySources } from './consistency-gate';
import { StaleReadError } from './stale-read';

const feeds = {
  accounts: { name: 'p.accounts', topics: ['a'] },
  transfers: { name: 'p.transfers', topics: ['t'] },
};
const config = loadQueryApiConfig({ QUERY_MAX_WAIT_MS: '500', QUERY_POLL_INTERVAL_MS: '5' });
const waits = () =>
  new Histogram({
    name: 'w',
    help: 'w',
    labelNames: ['feed', 'outcome'] as const,
    registers: [new Registry()],
  });
const response = () => {
  const headers: Record<string, string> = {};
  return { headers, setHeader: (name: string, value: string) => void (headers[name] = value) };
};
// An empty partition: nothing to read, so only the relay can hold the answer back.
const empty = (topic: string): PartitionLogEnd[] => [{ topic, partition: 0, start: 0, end: 0 }];

describe('ConsistencyGate', () => {
  const untouched = (): ConsistencySources & { looks: number } => {
    const sources = {
      looks: 0,
      published: async () => {
        sources.looks += 1;
        return false;
      },
      head: async () => {
        sources.looks += 1;
        return 100;
      },
      logEnds: async (topic: string) => {
        sources.looks += 1;
        return [{ topic, partition: 0, start: 0, end: 5 }];
      },
      progress: async () => {
        sources.looks += 1;
        return [];
      },
    };
    return sources;
  };

  it('answers at once, from the resource alone, when a one-stream resource already reflects minPosition', async () => {
    const sources = untouched();
    const res = response();
    await new ConsistencyGate(config, feeds, sources, waits()).ensure(
      ['accounts'],
      { minPosition: 7 },
      res as never,
      async () => 9,
    );
    expect(res.headers['X-Consistent-Position']).toBe('9');
    expect(sources.looks).toBe(0);
  });

  it('keeps looking at the resource while the feeds lag, and answers once it reflects minPosition', async () => {
    const sources = untouched();
    let applied = 3;
    const res = response();
    await new ConsistencyGate(config, feeds, sources, waits()).ensure(
      ['accounts'],
      { minPosition: 7 },
      res as never,
      async () => (applied += 2),
    );
    expect(res.headers['X-Consistent-Position']).toBe('7');
    expect(sources.looks).toBeGreaterThan(0);
  });

  it('waits for the feeds when the resource is behind minPosition, and is stale when they never get there', async () => {
    const sources = untouched();
    const gate = new ConsistencyGate(config, feeds, sources, waits());
    await expect(
      gate.ensure(['accounts'], { minPosition: 7, maxWaitMs: 30 }, response() as never, async () => 6),
    ).rejects.toBeInstanceOf(StaleReadError);
  });

  it('only trusts log-end lookups begun after the relay was seen to have published the event', async () => {
    let looks = 0;
    let confirmedAt = Infinity;
    const notBefores: number[] = [];
    const sources: ConsistencySources = {
      published: async () => {
        if (++looks < 3) return false;
        confirmedAt = performance.now();
        return true;
      },
      logEnds: async (topic, notBefore) => {
        notBefores.push(notBefore);
        return empty(topic);
      },
      progress: async () => [],
    };
    const res = response();
    await new ConsistencyGate(config, feeds, sources, waits()).ensure(
      ['accounts'],
      { minPosition: 7 },
      res as never,
    );
    expect(res.headers['X-Consistent-Position']).toBe('7');
    expect(notBefores.at(-1)).toBeGreaterThanOrEqual(confirmedAt);
  });

  it('reports that the relay held the answer back, and nothing above the position', async () => {
    const sources: ConsistencySources = {
      published: async () => false,
      logEnds: async (t) => empty(t),
      progress: async () => [],
    };
    const gate = new ConsistencyGate(config, feeds, sources, waits());
    const res = response();
    const failure = await gate
      .ensure(['transfers'], { minPosition: 7, maxWaitMs: 20 }, res as never)
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(StaleReadError);
    expect(failure).toMatchObject({ relayPublished: false, consistentPosition: 6, minPosition: 7 });
    expect(res.headers['Retry-After']).toBe('1');
  });

  it('does not consult the relay for position 0 or when it is not configured', async () => {
    const published = jest.fn(async () => false);
    const withRelay = new ConsistencyGate(
      config,
      feeds,
      { published, logEnds: async (t) => empty(t), progress: async () => [] },
      waits(),
    );
    await withRelay.ensure(['accounts'], { minPosition: 0 }, response() as never);
    expect(published).not.toHaveBeenCalled();
    const withoutRelay = new ConsistencyGate(
      config,
      feeds,
      { logEnds: async (t) => empty(t), progress: async () => [] },
      waits(),
    );
    const res = response();
    await withoutRelay.ensure(['accounts'], { minPosition: 9 }, res as never);
    expect(res.headers['X-Consistent-Position']).toBe('9');
  });
});
