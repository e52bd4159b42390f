import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { appOfCommand, isSetupCommand } from './apps';
import type { KubeObject } from './manifests';
import { ledgerContainers, resolvePort, workloads, type Workload } from './objects';

// Network access, as the NetworkPolicies grant it: what each ledger pod may reach and who may reach it.

/** The dependencies each app really uses, by the port it talks to; the setup Job counts as `setup`. */
export const DEPENDENCY_PORTS: Record<number, string> = {
  5432: 'postgres',
  9092: 'kafka',
  8081: 'schema-registry',
  53: 'dns',
};

/**
 * What each app reaches, from its code: the command service appends to Postgres and validates events
 * against the bundled Avro schemas (no Kafka, no registry); the query API reads Postgres and asks Kafka for
 * log-end offsets (no registry); the relay, the saga and the projectors use all three; setup migrates,
 * registers schemas and creates topics.
 */
export const EXPECTED_EGRESS: Record<string, string[]> = {
  'command-service': ['dns', 'postgres'],
  'query-api': ['dns', 'kafka', 'postgres'],
  'ops-api': ['dns', 'kafka', 'postgres', 'schema-registry'],
  'event-relay': ['dns', 'kafka', 'postgres', 'schema-registry'],
  'transfer-saga': ['dns', 'kafka', 'postgres', 'schema-registry'],
  'projector-accounts': ['dns', 'kafka', 'postgres', 'schema-registry'],
  'projector-transfers': ['dns', 'kafka', 'postgres', 'schema-registry'],
  setup: ['dns', 'kafka', 'postgres', 'schema-registry'],
};

/** The APIs accept requests from anywhere on their HTTP port; every other ingress is scraping only. */
export const PUBLIC_APIS = ['command-service', 'query-api', 'ops-api'];
export const MONITORING_NAMESPACE = 'monitoring';

type LabelSelector = NonNullable<INetworkPolicy['spec']>['podSelector'];

const policies = (objects: KubeObject[]) =>
  objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o as unknown as INetworkPolicy & KubeObject);

/** Label selector semantics: matchLabels and matchExpressions all hold; an empty selector selects everything. */
export function selectorMatches(
  selector: LabelSelector | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return false;
  const pairs = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const expressions = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    switch (operator) {
      case 'In':
        return key in labels && values.includes(labels[key]);
      case 'NotIn':
        return !(key in labels) || !values.includes(labels[key]);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        return false;
    }
  });
  return pairs && expressions;
}

const applies = (policy: INetworkPolicy, workload: Workload, type: 'Ingress' | 'Egress') =>
  selectorMatches(policy.spec?.podSelector, workload.podLabels) &&
  (policy.spec?.policyTypes ?? ['Ingress']).includes(type);

function portNumber(port: INetworkPolicyPort, containers: IContainer[]): number | undefined {
  if (typeof port.port === 'number') return port.port;
  if (port.port === undefined) return undefined;
  for (const container of containers) {
    const resolved = resolvePort(container, port.port);
    if (resolved !== undefined) return resolved;
  }
  return undefined;
}

const nameOf = (workload: Workload, apps: Map<string, string>) => {
  const command = appOfCommand(ledgerContainers(workload)[0]?.command, apps);
  return isSetupCommand(command) ? 'setup' : command?.app;
};

/**
 * Problems with the namespace's network rules: no default deny, an app whose egress differs from what it
 * uses, an egress rule open to any destination or any port, an ingress other than the APIs' own port and
 * scraping from the monitoring namespace.
 */
export function networkProblems(objects: KubeObject[], apps: Map<string, string>): string[] {
  const all = policies(objects);
  const problems: string[] = [];
  const denyAll = all.some(
    (p) =>
      Object.keys(p.spec?.podSelector ?? { x: 1 }).length === 0 &&
      ['Ingress', 'Egress'].every((type) => p.spec?.policyTypes?.includes(type as 'Ingress')) &&
      !p.spec?.ingress?.length &&
      !p.spec?.egress?.length,
  );
  if (!denyAll) problems.push('no default-deny NetworkPolicy for ingress and egress of every pod');

  for (const workload of workloads(objects)) {
    const app = nameOf(workload, apps);
    if (!app) continue;
    const where = `${workload.kind}/${workload.name}`;
    const reached = new Set<string>();
    for (const policy of all.filter((p) => applies(p, workload, 'Egress'))) {
      for (const rule of policy.spec?.egress ?? []) {
        if (!rule.to?.length)
          problems.push(`${where}: NetworkPolicy/${policy.metadata.name} allows egress to any destination`);
        if (!rule.ports?.length)
          problems.push(`${where}: NetworkPolicy/${policy.metadata.name} allows egress on any port`);
        for (const port of rule.ports ?? []) {
          const number = typeof port.port === 'number' ? port.port : undefined;
          reached.add((number !== undefined && DEPENDENCY_PORTS[number]) || `port ${port.port}`);
        }
      }
    }
    const expected = EXPECTED_EGRESS[app] ?? [];
    const got = [...reached].sort();
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      problems.push(`${where}: egress reaches [${got.join(', ')}], want [${expected.join(', ')}]`);
    }

    const containers = workload.pod.containers;
    const declared = containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
    for (const policy of all.filter((p) => applies(p, workload, 'Ingress'))) {
      for (const rule of policy.spec?.ingress ?? []) {
        // A named port the pod does not declare matches nothing on it (one rule names every app's port).
        const ports = (rule.ports ?? [])
          .map((port) => portNumber(port, containers))
          .filter((port) => port !== undefined);
        const at = `${where}: NetworkPolicy/${policy.metadata.name}`;
        if (ports.length === 0) {
          problems.push(`${at} admits ingress on any port, or on none the pod declares`);
          continue;
        }
        const fromMonitoring =
          rule.from?.length &&
          rule.from.every(
            (peer) =>
              peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === MONITORING_NAMESPACE &&
              !peer.ipBlock,
          );
        const publicApi =
          PUBLIC_APIS.includes(app) && !rule.from?.length && ports.every((port) => declared.includes(port));
        if (!fromMonitoring && !publicApi)
          problems.push(`${at} admits ingress from outside monitoring to a non-API pod`);
      }
    }
  }
  return problems;
}
