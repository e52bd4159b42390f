import { JwtAuthenticator, LOCAL_ISSUER } from '@ledger/auth';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../src/main';
import { captureCliOutput } from './support/cli';

describe('ops-cli token and keys-init', () => {
  const output = captureCliOutput();
  const dir = mkdtempSync(join(tmpdir(), 'ops-token-'));
  const key = join(dir, 'signing-key.pem');

  it('creates the local key pair once, the private key readable by its owner only', async () => {
    expect(await run(['keys-init', '--dir', dir])).toBe(0);
    expect(output.stdout).toContain('created');
    const first = readFileSync(key, 'utf8');
    expect(statSync(key).mode & 0o777).toBe(0o600);
    output.stdout = '';
    expect(await run(['keys-init', '--dir', dir])).toBe(0);
    expect(output.stdout).toContain('kept');
    expect(readFileSync(key, 'utf8')).toBe(first);
  });

  it('mints a token the apps accept with the local public key', async () => {
    await run(['keys-init', '--dir', dir]);
    output.stdout = '';
    expect(await run(['token', '--sub', 'alice', '--role', 'customer', '--ttl', '30m', '--key', key])).toBe(
      0,
    );
    const token = output.stdout.trim();
    const authenticator = new JwtAuthenticator({
      AUTH_ISSUER: LOCAL_ISSUER,
      AUTH_AUDIENCE: 'ledger',
      AUTH_PUBLIC_KEY_FILE: join(dir, 'public-key.pem'),
      AUTH_ALGORITHMS: ['ES256'],
      AUTH_ROLE_CLAIM: 'roles',
      AUTH_CLOCK_TOLERANCE_S: 0,
      AUTH_TOKEN_CACHE_SIZE: 0,
      AUTH_TOKEN_CACHE_TTL_S: 300,
      AUTH_ALLOW_LOCAL_KEY: false,
      AUTH_PUBLIC_METRICS: true,
      HTTP_DOCS: true,
    });
    expect(await authenticator.authenticate(`Bearer ${token}`)).toEqual({
      subject: 'alice',
      role: 'customer',
    });
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(1800);
  });

  it.each([
    [['token', '--role', 'customer'], "required option '--sub <id>'"],
    [['token', '--sub', 'alice'], "required option '--role <role>'"],
    [['token', '--sub', 'alice', '--role', 'root'], '--role must be one of customer, teller, admin'],
    [['token', '--sub', 'has space', '--role', 'admin'], '--sub must be 1-128 printable characters'],
    [['token', '--sub', 'alice', '--role', 'admin', '--ttl', 'forever'], '--ttl must be a duration'],
    [['token', '--sub', 'alice', '--role', 'admin', '--ttl', '30d'], 'at most 7d'],
    [
      ['token', '--sub', 'alice', '--role', 'admin', '--key', '/nonexistent/key.pem'],
      'no signing key at /nonexistent/key.pem',
    ],
  ])('refuses %j with exit code 2 and says why', async (args, message) => {
    expect(await run(args)).toBe(2);
    expect(output.stderr).toContain(message);
    expect(output.stdout).toBe('');
  });

  it('refuses a key file that is not a private key with exit code 2', async () => {
    const bogus = join(dir, 'bogus.pem');
    writeFileSync(bogus, 'not a key');
    expect(await run(['token', '--sub', 'alice', '--role', 'admin', '--key', bogus])).toBe(2);
    expect(output.stderr).toContain('is not a PEM private key');
  });
});
