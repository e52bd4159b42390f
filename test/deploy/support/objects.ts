import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { KubeObject } from './manifests';

/** A Deployment or Job seen through its pod template: what the rules look at. */
export interface Workload {
  kind: 'Deployment' | 'Job';
  name: string;
  object: KubeObject;
  podLabels: Record<string, string>;
  podAnnotations: Record<string, string>;
  pod: IPodSpec;
}

export function workloads(objects: KubeObject[]): Workload[] {
  return objects.flatMap((object): Workload[] => {
    if (object.kind !== 'Deployment' && object.kind !== 'Job') return [];
    const template = (object as unknown as IDeployment | IJob).spec?.template;
    if (!template?.spec) return [];
    return [
      {
        kind: object.kind,
        name: object.metadata.name,
        object,
        podLabels: template.metadata?.labels ?? {},
        podAnnotations: template.metadata?.annotations ?? {},
        pod: template.spec,
      },
    ];
  });
}

export const deployments = (objects: KubeObject[]) =>
  workloads(objects).filter((w) => w.kind === 'Deployment');

/** The project's one image, whatever registry and tag an overlay gives it. */
export const isLedgerImage = (image: string | undefined) =>
  /(^|\/)ledger(:[\w.-]+)?(@sha256:[a-f0-9]+)?$/.test(image ?? '');

export const ledgerContainers = (workload: Workload) =>
  workload.pod.containers.filter((c) => isLedgerImage(c.image));

/** A label selector matches when it is non-empty and every pair is among the labels. */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
): boolean {
  const pairs = Object.entries(selector ?? {});
  return pairs.length > 0 && pairs.every(([key, value]) => labels[key] === value);
}

/** The number of a container port given by number or by name; undefined when the container has no such port. */
export function resolvePort(container: IContainer, port: number | string): number | undefined {
  const declared = container.ports ?? [];
  const match = declared.find((p) => (typeof port === 'number' ? p.containerPort === port : p.name === port));
  return match?.containerPort;
}

/** Names of the variables a container receives directly (env), not through envFrom. */
export const envNames = (container: IContainer) => (container.env ?? []).map((variable) => variable.name);

export const envValue = (container: IContainer, name: string) =>
  container.env?.find((v) => v.name === name)?.value;

const UNITS: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A Kubernetes resource quantity ("500m", "1", "512Mi") as a plain number, to compare requests and limits. */
export function parseQuantity(quantity: string | number): number {
  if (typeof quantity === 'number') return quantity;
  const match = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(quantity);
  if (!match || (match[2] && !(match[2] in UNITS))) throw new Error(`not a quantity: ${quantity}`);
  return Number(match[1]) * (match[2] ? UNITS[match[2]] : 1);
}
