import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { markdown } from './report';
import type { RunReport } from './runner';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');

async function drills(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await run(join(ROOT, 'node_modules/.bin/tsx'), [join(__dirname, 'main.ts'), ...args], {
      cwd: ROOT,
      timeout: 60_000,
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    return { code: (error as { code: number }).code, stderr: (error as { stderr: string }).stderr };
  }
}

describe('npm run drills, bad input', () => {
  it('exits 2 naming an unknown drill, before starting anything', async () => {
    const { code, stderr } = await drills(['--only', 'relay-sigkill,no-such-drill']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown drill(s): no-such-drill');
  }, 60_000);

  it('exits 2 on a rate that is not a positive number', async () => {
    const { code, stderr } = await drills(['--rate', '-3']);
    expect(code).toBe(2);
    expect(stderr).toContain('must be a positive number');
  }, 60_000);
});

describe('the drill report', () => {
  it('shows per drill the load, what clients saw, the time to converge and each invariant with its numbers', () => {
    const report: RunReport = {
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:05:00.000Z',
      target: 'harness',
      options: {
        rate: 15,
        leadSeconds: 3,
        sharedStack: false,
        accounts: 8,
        convergeTimeoutMs: 1,
        settings: { downSeconds: 3, pauseSeconds: 60, outageSeconds: 30 },
      },
      ok: false,
      drills: [
        {
          name: 'relay-sigkill',
          description: 'SIGKILL of the relay',
          status: 'failed',
          durationMs: 20_000,
          faultMs: 7_000,
          convergedMs: null,
          load: {
            sent: 100,
            accepted: 90,
            refused: 9,
            failed: 1,
            duringFault: { 200: 40, 503: 2 },
            unexpected: [],
          },
          invariants: [
            {
              name: 'sum of read balances = deposits - withdrawals',
              ok: false,
              expected: { total: 10 },
              actual: { total: 11 },
            },
          ],
        },
        {
          name: 'broker-stop',
          description: 'broker stopped',
          status: 'skipped',
          reason: 'acts on the shared local stack',
          durationMs: 0,
        },
      ],
    };
    const text = markdown(report);
    expect(text).toContain('**INVARIANT FAILED**');
    expect(text).toContain('| relay-sigkill | failed | 100 | 90 | 9 | 1 | 7.0 s | — |');
    expect(text).toContain('| broker-stop | skipped (not run: acts on the shared local stack) |');
    expect(text).toContain('{"200":40,"503":2}');
    expect(text).toContain(
      '| sum of read balances = deposits - withdrawals | **NO** | {"total":10} | {"total":11} |',
    );
  });
});
