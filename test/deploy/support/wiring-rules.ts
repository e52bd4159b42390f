import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IService } from 'kubernetes-models/v1/Service';
import { appOfCommand, isSetupCommand } from './apps';
import type { KubeObject } from './manifests';
import { deployments, ledgerContainers, resolvePort, selects, workloads } from './objects';

// Rules for how objects find each other: selectors, scale targets, disruption budgets, setup order.

const as = <T>(object: KubeObject) => object as unknown as T;
const ofKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);

/** Services, PDBs and HPAs each reach a Deployment; a Service's target port is one its pods declare. */
export function selectorProblems(objects: KubeObject[]): string[] {
  const pods = deployments(objects);
  const problems: string[] = [];
  for (const pod of pods) {
    const selector = as<{ spec: { selector: { matchLabels?: Record<string, string> } } }>(pod.object).spec
      .selector;
    if (!selects(selector.matchLabels, pod.podLabels))
      problems.push(`Deployment/${pod.name}: selector misses its own pods`);
  }
  for (const object of ofKind(objects, 'Service')) {
    const spec = as<IService>(object).spec ?? {};
    const selected = pods.filter((pod) => selects(spec.selector, pod.podLabels));
    if (selected.length === 0) problems.push(`Service/${object.metadata.name}: selects no Deployment's pods`);
    for (const port of spec.ports ?? []) {
      const target = port.targetPort ?? port.port;
      const served = selected.every((pod) =>
        pod.pod.containers.some((c) => resolvePort(c, target) !== undefined),
      );
      if (!served)
        problems.push(`Service/${object.metadata.name}: targetPort ${target} is not declared by its pods`);
    }
  }
  for (const object of ofKind(objects, 'PodDisruptionBudget')) {
    const labels = as<IPodDisruptionBudget>(object).spec?.selector?.matchLabels;
    if (!pods.some((pod) => selects(labels, pod.podLabels)))
      problems.push(`PodDisruptionBudget/${object.metadata.name}: selects no pods`);
  }
  for (const object of ofKind(objects, 'HorizontalPodAutoscaler')) {
    const target = as<IHorizontalPodAutoscaler>(object).spec?.scaleTargetRef;
    const found =
      target?.kind === 'Deployment' &&
      target.apiVersion === 'apps/v1' &&
      pods.some((p) => p.name === target.name);
    if (!found) problems.push(`HorizontalPodAutoscaler/${object.metadata.name}: scales no Deployment here`);
  }
  return problems;
}

const CONSUMERS = ['projector-accounts', 'projector-transfers', 'transfer-saga'];
const DEFAULT_PARTITIONS = 6; // ops-cli setup --partitions

/** The partition count the setup Job gives new topics. */
export function setupPartitions(objects: KubeObject[], apps: Map<string, string>): number {
  for (const workload of workloads(objects)) {
    for (const container of ledgerContainers(workload)) {
      const command = appOfCommand(container.command, apps);
      if (!isSetupCommand(command)) continue;
      const flag = command!.args.indexOf('--partitions');
      return flag >= 0 ? Number(command!.args[flag + 1]) : DEFAULT_PARTITIONS;
    }
  }
  return DEFAULT_PARTITIONS;
}

/**
 * An HPA owns its Deployment's replica count (the Deployment states none, or every apply would fight
 * it); a consumer never scales past the partition count; the relay, single-active, never autoscales.
 */
export function autoscalingProblems(objects: KubeObject[], apps: Map<string, string>): string[] {
  const partitions = setupPartitions(objects, apps);
  const appOf = new Map(
    deployments(objects).map((d) => [d.name, appOfCommand(d.pod.containers[0]?.command, apps)?.app]),
  );
  return ofKind(objects, 'HorizontalPodAutoscaler').flatMap((object) => {
    const spec = as<IHorizontalPodAutoscaler>(object).spec!;
    const where = `HorizontalPodAutoscaler/${object.metadata.name}`;
    const target = objects.find(
      (o) => o.kind === 'Deployment' && o.metadata.name === spec.scaleTargetRef.name,
    );
    const app = appOf.get(spec.scaleTargetRef.name);
    const problems: string[] = [];
    if ((target?.spec as { replicas?: number } | undefined)?.replicas !== undefined) {
      problems.push(`${where}: Deployment/${spec.scaleTargetRef.name} must leave replicas to the HPA`);
    }
    if ((spec.minReplicas ?? 1) > spec.maxReplicas) problems.push(`${where}: minReplicas above maxReplicas`);
    if (app === 'event-relay') problems.push(`${where}: the relay is single-active and must not autoscale`);
    if (app && CONSUMERS.includes(app) && spec.maxReplicas > partitions) {
      problems.push(`${where}: maxReplicas ${spec.maxReplicas} exceeds the ${partitions} topic partitions`);
    }
    return problems;
  });
}

/** Every ledger Deployment has exactly one PodDisruptionBudget. */
export function disruptionBudgetProblems(objects: KubeObject[]): string[] {
  const budgets = ofKind(objects, 'PodDisruptionBudget').map(
    (o) => as<IPodDisruptionBudget>(o).spec?.selector?.matchLabels,
  );
  return deployments(objects)
    .filter((deployment) => ledgerContainers(deployment).length > 0)
    .flatMap((deployment) => {
      const count = budgets.filter((labels) => selects(labels, deployment.podLabels)).length;
      return count === 1 ? [] : [`Deployment/${deployment.name}: ${count} PodDisruptionBudgets, want 1`];
    });
}
