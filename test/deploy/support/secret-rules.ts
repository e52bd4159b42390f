import type { KubeObject } from './manifests';
import { ledgerContainers, workloads } from './objects';

// Secrets stay in Secrets: never a ConfigMap value, never a literal in a pod template.

/** Variables that carry credentials: a connection string with a password, a password, a username. */
export const SECRET_VARIABLE =
  /^(DATABASE_URL|EVENT_STORE_DATABASE_URL|.*_PASSWORD|.*_USERNAME|.*_TOKEN|.*_SECRET)$/;
const CREDENTIAL_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]+:[^/@\s]+@/i;
const PEM = /-----BEGIN [A-Z ]+-----/;

/** ConfigMap keys or values that look like secrets, and secret variables set to a literal in a container. */
export function secretPlacementProblems(objects: KubeObject[]): string[] {
  const problems: string[] = [];
  for (const map of objects.filter((o) => o.kind === 'ConfigMap')) {
    const data = (map as { data?: Record<string, string> }).data ?? {};
    for (const [key, value] of Object.entries(data)) {
      const where = `ConfigMap/${map.metadata.name}: ${key}`;
      if (SECRET_VARIABLE.test(key)) problems.push(`${where} is a secret and belongs in a Secret`);
      else if (CREDENTIAL_URL.test(value)) problems.push(`${where} holds credentials in a URL`);
      else if (PEM.test(value)) problems.push(`${where} holds PEM material`);
    }
  }
  for (const workload of workloads(objects)) {
    for (const container of ledgerContainers(workload)) {
      for (const variable of container.env ?? []) {
        const secret = SECRET_VARIABLE.test(variable.name) || CREDENTIAL_URL.test(variable.value ?? '');
        if (secret && !variable.valueFrom?.secretKeyRef) {
          problems.push(
            `${workload.kind}/${workload.name} container ${container.name}: ${variable.name} must come from a Secret`,
          );
        }
      }
    }
  }
  return problems;
}
