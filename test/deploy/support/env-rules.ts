import type { IContainer } from 'kubernetes-models/v1/Container';
import { appOfCommand, isSetupCommand, REQUIRED_VARIABLES } from './apps';
import type { KubeObject } from './manifests';
import { envValue, ledgerContainers, workloads } from './objects';

// Rules for configuration: every reference resolves, every app gets what it needs, setup goes first.

export type Source = 'ConfigMap' | 'Secret';

function keysOf(object: KubeObject): string[] {
  const { data, binaryData, stringData } = object as {
    data?: object;
    binaryData?: object;
    stringData?: object;
  };
  return [...Object.keys(data ?? {}), ...Object.keys(binaryData ?? {}), ...Object.keys(stringData ?? {})];
}

/** The ConfigMaps and Secrets a container reads, through envFrom or env. */
export function referencedSources(container: IContainer): Array<{ kind: Source; name: string }> {
  const fromEnvFrom = (container.envFrom ?? []).flatMap((source) => [
    ...(source.configMapRef?.name ? [{ kind: 'ConfigMap' as const, name: source.configMapRef.name }] : []),
    ...(source.secretRef?.name ? [{ kind: 'Secret' as const, name: source.secretRef.name }] : []),
  ]);
  const fromEnv = (container.env ?? []).flatMap(({ valueFrom }) => [
    ...(valueFrom?.configMapKeyRef?.name
      ? [{ kind: 'ConfigMap' as const, name: valueFrom.configMapKeyRef.name }]
      : []),
    ...(valueFrom?.secretKeyRef?.name
      ? [{ kind: 'Secret' as const, name: valueFrom.secretKeyRef.name }]
      : []),
  ]);
  return [...fromEnvFrom, ...fromEnv];
}

/** Finds a ConfigMap or Secret among the rendered objects, then among those created out of band. */
export function lookup(
  kind: Source,
  name: string,
  objects: KubeObject[],
  outOfBand: KubeObject[],
): KubeObject | undefined {
  const match = (o: KubeObject) => o.kind === kind && o.metadata.name === name;
  return objects.find(match) ?? outOfBand.find(match);
}

/** The variable names a container receives, through envFrom and env; undefined marks a broken reference. */
function containerEnv(container: IContainer, objects: KubeObject[], outOfBand: KubeObject[]) {
  const names = new Set<string>();
  const broken: string[] = [];
  for (const source of container.envFrom ?? []) {
    const [kind, ref] = source.configMapRef
      ? (['ConfigMap', source.configMapRef] as const)
      : (['Secret', source.secretRef] as const);
    if (!ref?.name) continue;
    const found = lookup(kind, ref.name, objects, outOfBand);
    if (found) keysOf(found).forEach((key) => names.add(`${source.prefix ?? ''}${key}`));
    else if (!ref.optional) broken.push(`envFrom ${kind}/${ref.name} does not exist`);
  }
  for (const variable of container.env ?? []) {
    names.add(variable.name);
    const from = variable.valueFrom;
    const [kind, ref] = from?.configMapKeyRef
      ? (['ConfigMap', from.configMapKeyRef] as const)
      : (['Secret', from?.secretKeyRef] as const);
    if (!ref?.name || ref.optional) continue;
    const found = lookup(kind, ref.name, objects, outOfBand);
    if (!found || !keysOf(found).includes(ref.key))
      broken.push(`${variable.name} needs key ${ref.key} of ${kind}/${ref.name}`);
  }
  return { names, broken };
}

/**
 * Every ConfigMap/Secret reference resolves to an existing key (a Secret may be one created out of band,
 * as its template shows), and every ledger container gets the variables all apps need.
 */
export function envProblems(objects: KubeObject[], outOfBand: KubeObject[]): string[] {
  return workloads(objects).flatMap((workload) =>
    workload.pod.containers.flatMap((container) => {
      const where = `${workload.kind}/${workload.name} container ${container.name}`;
      const { names, broken } = containerEnv(container, objects, outOfBand);
      const problems = broken.map((problem) => `${where}: ${problem}`);
      if (ledgerContainers(workload).includes(container)) {
        const missing = [...REQUIRED_VARIABLES, 'NODE_ENV'].filter((name) => !names.has(name));
        if (missing.length > 0) problems.push(`${where}: missing ${missing.join(', ')}`);
        const nodeEnv = envValue(container, 'NODE_ENV') ?? configValue(container, objects, 'NODE_ENV');
        if (nodeEnv !== undefined && nodeEnv !== 'production')
          problems.push(`${where}: NODE_ENV is ${nodeEnv}`);
      }
      return problems;
    }),
  );
}

function configValue(container: IContainer, objects: KubeObject[], key: string): string | undefined {
  for (const source of container.envFrom ?? []) {
    const map = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === source.configMapRef?.name);
    const value = (map as { data?: Record<string, string> } | undefined)?.data?.[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

export const SETUP_PHASE = 'ledger/phase';

/**
 * `kubectl apply -k <dir> -l ledger/phase=setup` applies the setup Job with everything it needs and no
 * app, so the Job can finish before any app starts.
 */
export function setupPhaseProblems(objects: KubeObject[], apps: Map<string, string>): string[] {
  const inSetup = (o: KubeObject) => o.metadata.labels?.[SETUP_PHASE] === 'setup';
  const jobs = workloads(objects).filter(
    (w) => w.kind === 'Job' && w.pod.containers.some((c) => isSetupCommand(appOfCommand(c.command, apps))),
  );
  if (jobs.length !== 1) return [`want one setup Job, found ${jobs.length}`];
  const [job] = jobs;
  const needed = objects.filter((o) => {
    if (o.kind === 'Namespace') return true;
    if (o.kind === 'ServiceAccount') return o.metadata.name === job.pod.serviceAccountName;
    return job.pod.containers.some((c) =>
      referencedSources(c).some((ref) => ref.kind === o.kind && ref.name === o.metadata.name),
    );
  });
  const problems = [job.object, ...needed]
    .filter((o) => !inSetup(o))
    .map((o) => `${o.kind}/${o.metadata.name}: not labelled ${SETUP_PHASE}=setup`);
  const early = workloads(objects).filter(
    (w) => w.kind === 'Deployment' && ledgerContainers(w).length > 0 && inSetup(w.object),
  );
  return [...problems, ...early.map((w) => `Deployment/${w.name}: an app must not be in the setup phase`)];
}
