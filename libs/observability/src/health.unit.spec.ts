import { dependencyUseCheck, DependencyUse, runHealthChecks } from './health';

describe('runHealthChecks', () => {
  it('reports ok when every dependency answers', async () => {
    const report = await runHealthChecks([{ name: 'a', check: async () => undefined }]);
    expect(report.status).toBe('ok');
    expect(report.checks.a?.status).toBe('up');
  });

  it('names the dependency that failed and why', async () => {
    const report = await runHealthChecks([
      { name: 'up', check: async () => undefined },
      { name: 'down', check: async () => Promise.reject(new Error('connection refused')) },
    ]);
    expect(report.status).toBe('error');
    expect(report.checks.down).toMatchObject({ status: 'down', error: 'connection refused' });
  });

  it('treats a dependency that hangs as down', async () => {
    const report = await runHealthChecks([{ name: 'slow', check: () => new Promise(() => undefined) }], 20);
    expect(report.checks.slow).toMatchObject({ status: 'down', error: 'slow did not answer within 20 ms' });
  });
});

describe('readiness semantics', () => {
  it('stays ready, reporting degraded, when only a dependency some requests need is down', async () => {
    const report = await runHealthChecks([
      { name: 'postgres', check: async () => undefined },
      { name: 'kafka', degradesOnly: true, check: async () => Promise.reject(new Error('no brokers')) },
    ]);
    expect(report.status).toBe('degraded');
    expect(report.checks.kafka).toMatchObject({ status: 'down', degradesOnly: true, error: 'no brokers' });
  });

  it('fails a dependency only while the work that used it fails, and recovers with its next success', async () => {
    const use = new DependencyUse();
    const check = dependencyUseCheck('schema-registry', use);
    expect((await runHealthChecks([check])).status).toBe('ok');
    use.failed(new Error('connect ECONNREFUSED'));
    const failing = await runHealthChecks([check]);
    expect(failing.status).toBe('error');
    expect(failing.checks['schema-registry']?.error).toContain('ECONNREFUSED');
    use.succeeded();
    expect((await runHealthChecks([check])).status).toBe('ok');
  });
});
