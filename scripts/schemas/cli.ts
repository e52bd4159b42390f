import { join } from 'node:path';
import { Command } from 'commander';
import { checkAgainstRegistry, loadCatalogue, RegistryAdmin, registerSchemas } from '@ledger/schemas';
import { renderContracts, staleContracts, writeContracts } from './generate';
import { runLocalGate } from './local-gate';
import { CONTRACTS_DIR, DEFAULT_REGISTRY_URL, findRepoRoot, SCHEMAS_DIR } from './paths';

const registryUrl = () => process.env.SCHEMA_REGISTRY_URL ?? DEFAULT_REGISTRY_URL;
// The apps' registry credentials (README), for a registry that asks for basic auth.
const registryAuth = () => {
  const { SCHEMA_REGISTRY_USERNAME: username, SCHEMA_REGISTRY_PASSWORD: password } = process.env;
  return username && password ? { username, password } : undefined;
};
const registryHeaders = (): Record<string, string> => {
  const auth = registryAuth();
  return auth
    ? { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` }
    : {};
};
const registryAdmin = () => new RegistryAdmin(registryUrl(), undefined, registryHeaders());

function fail(problems: string[]): never {
  console.error(
    `schemas: ${problems.length} problem(s)\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
  );
  process.exit(1);
}

async function generate(): Promise<void> {
  const root = findRepoRoot();
  const files = renderContracts(loadCatalogue(join(root, SCHEMAS_DIR)));
  const changed = staleContracts(join(root, CONTRACTS_DIR), files);
  writeContracts(join(root, CONTRACTS_DIR), files);
  console.log(
    changed.length > 0
      ? `schemas: wrote ${changed.join(', ')} in ${CONTRACTS_DIR}`
      : 'schemas: contracts up to date',
  );
}

async function check(options: { registry?: boolean; base?: string }): Promise<void> {
  const root = findRepoRoot();
  const local = runLocalGate(root, options.base ?? process.env.SCHEMAS_BASE_REF);
  local.notes.forEach((note) => console.log(`schemas: ${note}`));
  const problems = [...local.problems];

  const admin = registryAdmin();
  if (await admin.reachable()) {
    const gate = await checkAgainstRegistry(admin, local.versions);
    problems.push(...gate.problems);
    console.log(
      `schemas: registry ${admin.baseUrl}: ${gate.registered} registered, ${gate.acceptable} acceptable`,
    );
  } else if (options.registry) {
    problems.push(`registry not reachable at ${admin.baseUrl} (--registry requires it)`);
  } else {
    console.log(
      `schemas: registry not reachable at ${admin.baseUrl}; skipped its check (--registry requires it)`,
    );
  }
  if (problems.length > 0) fail(problems);
  console.log(`schemas: ${local.versions.length} schema versions OK`);
}

async function register(): Promise<void> {
  const root = findRepoRoot();
  const versions = loadCatalogue(join(root, SCHEMAS_DIR));
  const registrations = await registerSchemas({ url: registryUrl(), auth: registryAuth() }, versions);
  for (const { subject, version, id } of registrations)
    console.log(`schemas: ${subject} v${version} -> id ${id}`);
  console.log(`schemas: ${registrations.length} schema versions registered at ${registryUrl()}`);
}

const program = new Command('schemas').description(
  'Avro event contracts: generate types, check gates, register',
);
program.command('generate').description(`write ${CONTRACTS_DIR} from ${SCHEMAS_DIR}/`).action(generate);
program
  .command('check')
  .description('fail on incompatible, rewritten or stale schemas; also asks the registry when reachable')
  .option('--registry', 'require the registry check (fail when the registry is unreachable)')
  .option('--base <ref>', 'git revision holding the published versions (default: origin/main, else HEAD)')
  .action(check);
program
  .command('register')
  .description('register every version under its subject (BACKWARD_TRANSITIVE)')
  .action(register);

program.parseAsync().catch((error: unknown) => fail([(error as Error).message]));
