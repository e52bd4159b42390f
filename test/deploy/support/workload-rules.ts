import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import { appOfCommand, isSetupCommand, PORT_VARIABLE } from './apps';
import type { KubeObject } from './manifests';
import {
  envValue,
  ledgerContainers,
  parseQuantity,
  resolvePort,
  selects,
  Workload,
  workloads,
} from './objects';

// Rules for what runs: each returns one readable line per problem, so a failing test says what to fix.

/** Ledger containers start a declared app: servers in Deployments, `ops-cli setup` in Jobs. */
export function commandProblems(objects: KubeObject[], apps: Map<string, string>): string[] {
  return workloads(objects).flatMap((workload) =>
    ledgerContainers(workload).flatMap((container) => {
      const where = `${workload.kind}/${workload.name} container ${container.name}`;
      const command = appOfCommand(container.command, apps);
      if (!command)
        return [`${where}: command ${JSON.stringify(container.command)} starts no app of nest-cli.json`];
      if (workload.kind === 'Job' && !isSetupCommand(command))
        return [`${where}: a Job runs only \`ops-cli setup\``];
      if (workload.kind === 'Deployment' && !(command.app in PORT_VARIABLE))
        return [`${where}: ${command.app} is no server`];
      return [];
    }),
  );
}

const PROBE_PATHS = {
  readinessProbe: '/health/ready',
  livenessProbe: '/health/live',
  startupProbe: '/health/live',
} as const;

function probeProblems(
  where: string,
  container: IContainer,
  kind: keyof typeof PROBE_PATHS,
  ledger: boolean,
): string[] {
  const probe: IProbe | undefined = container[kind];
  if (!probe) return kind === 'startupProbe' ? [] : [`${where}: no ${kind}`];
  const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
  const problems: string[] = [];
  if (port !== undefined && resolvePort(container, port) === undefined) {
    problems.push(`${where}: ${kind} port ${port} is not a declared containerPort`);
  }
  if (ledger && probe.httpGet?.path !== PROBE_PATHS[kind]) {
    problems.push(
      `${where}: ${kind} must GET ${PROBE_PATHS[kind]}, not ${probe.httpGet?.path ?? 'a non-HTTP check'}`,
    );
  }
  return problems;
}

/** Every Deployment container is probed for readiness and liveness, on a port it declares. */
export function probeRuleProblems(objects: KubeObject[]): string[] {
  return workloads(objects)
    .filter((workload) => workload.kind === 'Deployment')
    .flatMap((workload) =>
      workload.pod.containers.flatMap((container) => {
        const where = `Deployment/${workload.name} container ${container.name}`;
        const ledger = ledgerContainers(workload).includes(container);
        return (['readinessProbe', 'livenessProbe', 'startupProbe'] as const).flatMap((kind) =>
          probeProblems(where, container, kind, ledger),
        );
      }),
    );
}

/** Requests and limits for CPU and memory on every container, requests never above limits. */
export function resourceProblems(objects: KubeObject[]): string[] {
  return workloads(objects).flatMap((workload) =>
    workload.pod.containers.flatMap((container) =>
      (['cpu', 'memory'] as const).flatMap((resource) => {
        const where = `${workload.kind}/${workload.name} container ${container.name}`;
        const request = container.resources?.requests?.[resource];
        const limit = container.resources?.limits?.[resource];
        if (request === undefined || limit === undefined)
          return [`${where}: ${resource} needs a request and a limit`];
        return parseQuantity(request) > parseQuantity(limit)
          ? [`${where}: ${resource} request ${request} > limit ${limit}`]
          : [];
      }),
    ),
  );
}

/**
 * The restricted Pod Security Standard for every pod, plus a read-only root filesystem for ledger
 * containers. A numeric user is required: the image's USER is a name, which the kubelet cannot check.
 */
export function securityProblems(objects: KubeObject[]): string[] {
  return workloads(objects).flatMap((workload) => {
    const where = `${workload.kind}/${workload.name}`;
    const pod = workload.pod.securityContext ?? {};
    const problems: string[] = [];
    if (pod.runAsNonRoot !== true) problems.push(`${where}: pod must set runAsNonRoot: true`);
    if (!pod.runAsUser) problems.push(`${where}: pod must set a numeric, non-zero runAsUser`);
    if (pod.seccompProfile?.type !== 'RuntimeDefault')
      problems.push(`${where}: pod seccompProfile must be RuntimeDefault`);
    if (workload.pod.enableServiceLinks !== false)
      problems.push(`${where}: enableServiceLinks must be false`);
    if (workload.pod.automountServiceAccountToken !== false)
      problems.push(`${where}: must not mount an API token`);
    for (const container of workload.pod.containers) {
      const context = container.securityContext ?? {};
      const at = `${where} container ${container.name}`;
      if (context.allowPrivilegeEscalation !== false)
        problems.push(`${at}: allowPrivilegeEscalation must be false`);
      if (!context.capabilities?.drop?.includes('ALL')) problems.push(`${at}: capabilities must drop ALL`);
      if (isLedger(workload, container) && context.readOnlyRootFilesystem !== true) {
        problems.push(`${at}: readOnlyRootFilesystem must be true`);
      }
    }
    return problems;
  });
}

const isLedger = (workload: Workload, container: IContainer) =>
  ledgerContainers(workload).includes(container);

/**
 * A ledger server listens where its probes and Prometheus look: its port variable, the probed port and
 * the scrape annotation agree. It drains for at least 30 s and spreads its replicas.
 */
export function serverProblems(objects: KubeObject[], apps: Map<string, string>): string[] {
  return workloads(objects)
    .filter((workload) => workload.kind === 'Deployment')
    .flatMap((workload) =>
      ledgerContainers(workload).flatMap((container) => {
        const app = appOfCommand(container.command, apps)?.app;
        const variable = app && PORT_VARIABLE[app];
        if (!variable) return [];
        const where = `Deployment/${workload.name}`;
        const port = Number(envValue(container, variable));
        const readiness = container.readinessProbe?.httpGet?.port;
        const annotations = workload.podAnnotations;
        const problems: string[] = [];
        if (resolvePort(container, port) === undefined)
          problems.push(`${where}: ${variable} is not a declared containerPort`);
        if (readiness !== undefined && resolvePort(container, readiness) !== port)
          problems.push(`${where}: probes miss ${variable}`);
        if (annotations['prometheus.io/scrape'] !== 'true')
          problems.push(`${where}: pods must be annotated for scraping`);
        if (Number(annotations['prometheus.io/port']) !== port)
          problems.push(`${where}: prometheus.io/port is not ${variable}`);
        if (annotations['prometheus.io/path'] !== '/metrics')
          problems.push(`${where}: prometheus.io/path must be /metrics`);
        if ((workload.pod.terminationGracePeriodSeconds ?? 30) < 30)
          problems.push(`${where}: drain time under 30 s`);
        if (!spreads(workload)) problems.push(`${where}: replicas are neither spread nor anti-affine`);
        return problems;
      }),
    );
}

function spreads(workload: Workload): boolean {
  const spread = (workload.pod.topologySpreadConstraints ?? []).some((c) =>
    selects(c.labelSelector?.matchLabels, workload.podLabels),
  );
  const antiAffinity = workload.pod.affinity?.podAntiAffinity;
  const terms = [
    ...(antiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(antiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p) => p.podAffinityTerm),
  ];
  return spread || terms.some((term) => selects(term.labelSelector?.matchLabels, workload.podLabels));
}
