import type { IContainer } from 'kubernetes-models/v1/Container';
import { appConfigProblems } from './app-config';
import { appOfCommand } from './apps';
import { lookup } from './env-rules';
import type { KubeObject } from './manifests';
import { ledgerContainers, workloads } from './objects';

/** The values of a ConfigMap or Secret (Secret data decoded from base64). */
function valuesOf(object: KubeObject): Record<string, string> {
  const { data, stringData } = object as {
    data?: Record<string, string>;
    stringData?: Record<string, string>;
  };
  const decoded = Object.entries(data ?? {}).map(([key, value]) => [
    key,
    object.kind === 'Secret' ? Buffer.from(value, 'base64').toString('utf8') : value,
  ]);
  return { ...Object.fromEntries(decoded), ...stringData };
}

/** The environment a container starts with, as far as the manifests say (envFrom, then env on top). */
export function effectiveEnv(container: IContainer, objects: KubeObject[], outOfBand: KubeObject[]) {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const [kind, ref] = source.configMapRef
      ? (['ConfigMap', source.configMapRef] as const)
      : (['Secret', source.secretRef] as const);
    const found = ref?.name ? lookup(kind, ref.name, objects, outOfBand) : undefined;
    for (const [key, value] of Object.entries(found ? valuesOf(found) : {}))
      env[`${source.prefix ?? ''}${key}`] = value;
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    const [kind, ref] = from?.configMapKeyRef
      ? (['ConfigMap', from.configMapKeyRef] as const)
      : (['Secret', from?.secretKeyRef] as const);
    const found = ref?.name ? lookup(kind, ref.name, objects, outOfBand) : undefined;
    const value = variable.value ?? (found && ref ? valuesOf(found)[ref.key] : undefined);
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}

/** Each ledger container's environment passes its app's own configuration schema, name by name. */
export function appConfigRuleProblems(
  objects: KubeObject[],
  outOfBand: KubeObject[],
  apps: Map<string, string>,
): string[] {
  return workloads(objects).flatMap((workload) =>
    ledgerContainers(workload).flatMap((container) => {
      const app = appOfCommand(container.command, apps)?.app;
      if (!app) return [];
      const env = effectiveEnv(container, objects, outOfBand);
      return appConfigProblems(app, env).map((problem) => `${workload.kind}/${workload.name}: ${problem}`);
    }),
  );
}
