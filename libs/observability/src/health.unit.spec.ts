import { runHealthChecks } from './health';

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
