import {
  ensureLocalKeyPair,
  LOCAL_ISSUER,
  LOCAL_KEY_FILES,
  mintToken,
  readPrivateKey,
  Role,
  ROLES,
  SUBJECT_PATTERN,
} from '@ledger/auth';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Output, UsageError } from '../context';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const MAX_TTL_SECONDS = 7 * 86_400;

/** `30m`, `1h`, `7d`: at most seven days, so a leaked local token does not live forever. */
export function parseTtl(value: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(value);
  const seconds = match ? Number(match[1]) * UNITS[match[2]!]! : NaN;
  if (!(seconds >= 1 && seconds <= MAX_TTL_SECONDS))
    throw new UsageError(`--ttl must be a duration such as 30m, 1h or 7d (at most 7d), got "${value}"`);
  return seconds;
}

function parseRole(value: string): Role {
  if (!(ROLES as readonly string[]).includes(value))
    throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got "${value}"`);
  return value as Role;
}

function parseSubject(value: string): string {
  if (!SUBJECT_PATTERN.test(value))
    throw new UsageError('--sub must be 1-128 printable characters without spaces');
  return value;
}

// The local key pair lives where `npm start` put it: $STACK_DIR/auth (default .stack/auth).
const localKeyDir = () => join(process.env.STACK_DIR ?? '.stack', 'auth');

async function token(
  out: Output,
  options: { sub: string; role: Role; ttl: number; key: string; issuer: string; audience: string },
) {
  if (!existsSync(options.key))
    throw new UsageError(
      `no signing key at ${options.key}: run \`npm start\` (or \`ops-cli keys-init\`) first, or pass --key`,
    );
  let privateKey;
  try {
    privateKey = readPrivateKey(options.key);
  } catch (error) {
    throw new UsageError(`${options.key} is not a PEM private key: ${(error as Error).message}`);
  }
  const jwt = await mintToken(privateKey, {
    subject: options.sub,
    role: options.role,
    issuer: options.issuer,
    audience: options.audience,
    ttlSeconds: options.ttl,
  });
  out.result({ token: jwt, subject: options.sub, role: options.role, expiresInSeconds: options.ttl }, () =>
    process.stdout.write(`${jwt}\n`),
  );
}

export function registerToken(program: Command, out: (command: Command) => Output) {
  program
    .command('token')
    .description(
      'mint a bearer token with the local signing key (development and tests; production uses your identity provider)',
    )
    .requiredOption('--sub <id>', 'subject: who the token speaks for', parseSubject)
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`, parseRole)
    .option('--ttl <duration>', 'lifetime, e.g. 30m, 1h, 7d (at most 7d)', parseTtl, 3600)
    .option('--key <file>', 'PEM private key', join(localKeyDir(), LOCAL_KEY_FILES.privateKey))
    .option(
      '--issuer <iss>',
      'iss claim (the apps check AUTH_ISSUER)',
      process.env.AUTH_ISSUER ?? LOCAL_ISSUER,
    )
    .option(
      '--audience <aud>',
      'aud claim (the apps check AUTH_AUDIENCE)',
      process.env.AUTH_AUDIENCE ?? 'ledger',
    )
    .action(async (options, command: Command) => token(out(command), options));
  program
    .command('keys-init')
    .description('create the local ES256 signing key pair if it does not exist (npm start does this)')
    .option('--dir <dir>', 'where the key files go', localKeyDir())
    .action(async (options: { dir: string }, command: Command) => {
      const keys = ensureLocalKeyPair(options.dir);
      out(command).result(keys, () =>
        process.stdout.write(
          `${keys.created ? 'created' : 'kept'} ${keys.privateKeyFile} and ${keys.publicKeyFile}\n`,
        ),
      );
    });
}
