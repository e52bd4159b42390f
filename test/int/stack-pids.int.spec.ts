import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const stackScript = join(__dirname, '../../scripts/stack/stack.sh');

// A pid file outlives its process when a service dies, and the kernel reuses pids: the stack script must
// never signal a process that is not its own service, whatever its pid file says.
describe('stack.sh and pid files', () => {
  let stackDir: string;
  let stranger: ChildProcess;

  beforeEach(() => {
    stackDir = mkdtempSync(join(tmpdir(), 'stack-pids-'));
    mkdirSync(join(stackDir, 'run'), { recursive: true });
    stranger = spawn('sleep', ['300'], { stdio: 'ignore' });
    writeFileSync(join(stackDir, 'run', 'registry.pid'), `${stranger.pid}\n`);
  });
  afterEach(() => {
    stranger.kill('SIGKILL');
    rmSync(stackDir, { recursive: true, force: true });
  });

  const stack = (...args: string[]) =>
    run('bash', [stackScript, ...args], { env: { ...process.env, STACK_DIR: stackDir }, timeout: 60_000 });

  it('does not stop an unrelated process that holds a stale pid', async () => {
    await stack('stop', 'registry');
    expect(stranger.exitCode).toBeNull();
    expect(stranger.signalCode).toBeNull();
    expect(() => process.kill(stranger.pid!, 0)).not.toThrow();
  });

  it('reports the service down rather than up', async () => {
    const outcome = await stack('status').then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(outcome.stderr).toMatch(/registry\s+down/);
    expect(outcome.code).not.toBe(0);
  });
});

// `npm start` with another PGPORT than the running stack's used to wait a minute and say only "Postgres not
// ready": the stack must name the port its Postgres runs on, and change nothing.
describe('stack.sh with another PGPORT than its running Postgres', () => {
  it('refuses at once and names the port Postgres runs on', async () => {
    const port = Number(process.env.PGPORT ?? 5432);
    const status = await run('bash', [stackScript, 'status', 'postgres'], { timeout: 60_000 });
    expect(status.stderr + status.stdout).toMatch(/postgres\s+up/);

    const outcome = await run('bash', [stackScript, 'up', 'postgres'], {
      env: { ...process.env, PGPORT: String(port + 1) },
      timeout: 60_000,
    }).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );

    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toContain(`already runs on port ${port}, not PGPORT=${port + 1}`);
  });
});
