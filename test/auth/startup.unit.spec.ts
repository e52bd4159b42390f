import { generateKeyPairSync } from 'node:crypto';
import { QueryApiModule } from '../../apps/query-api/src/app.module';
import { loadQueryApiConfig } from '../../apps/query-api/src/config';
import { CommandServiceModule } from '../../apps/command-service/src/app.module';
import { loadCommandServiceConfig } from '../../apps/command-service/src/config';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();

// Both HTTP APIs build their token verifier with the module, so an unsafe setting stops them at start.
describe.each([
  [
    'command service',
    (env: NodeJS.ProcessEnv) => CommandServiceModule.forRoot(loadCommandServiceConfig(env)),
  ],
  ['query API', (env: NodeJS.ProcessEnv) => QueryApiModule.forRoot(loadQueryApiConfig(env))],
])('%s start-up', (_app, build) => {
  it('refuses the local key in production unless allowed', () => {
    expect(() =>
      build({
        NODE_ENV: 'production',
        AUTH_PUBLIC_KEY_FILE: '.stack/auth/public-key.pem',
        AUTH_ISSUER: 'https://idp.example',
      }),
    ).toThrow('refused with NODE_ENV=production');
    expect(() => build({ NODE_ENV: 'production', AUTH_PUBLIC_KEY: pem })).toThrow(
      'refused with NODE_ENV=production',
    );
    expect(() =>
      build({ NODE_ENV: 'production', AUTH_PUBLIC_KEY: pem, AUTH_ALLOW_LOCAL_KEY: 'true' }),
    ).not.toThrow();
    expect(() =>
      build({ NODE_ENV: 'production', AUTH_PUBLIC_KEY: pem, AUTH_ISSUER: 'https://idp.example' }),
    ).not.toThrow();
  });

  it('refuses to start without a key, or with HS256', () => {
    expect(() => build({})).toThrow(
      'set exactly one of AUTH_JWKS_URL, AUTH_PUBLIC_KEY, AUTH_PUBLIC_KEY_FILE',
    );
    expect(() => build({ AUTH_PUBLIC_KEY: pem, AUTH_ALGORITHMS: 'HS256' })).toThrow('AUTH_ALGORITHMS');
  });
});
