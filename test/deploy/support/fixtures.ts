import { join } from 'node:path';
import { declaredApps } from './apps';
import {
  isKubeObject,
  K8S_DIR,
  KubeObject,
  listYamlFiles,
  readYamlFile,
  renderKustomization,
} from './manifests';

export const apps = declaredApps();

/** Objects created outside kustomize (the Secret holding DATABASE_URL), as their templates show. */
export const outOfBandObjects = (): KubeObject[] =>
  listYamlFiles(K8S_DIR)
    .filter((file) => file.endsWith('.template.yaml'))
    .flatMap((file) => readYamlFile(file).documents.filter(isKubeObject));

const renders = new Map<string, KubeObject[]>();

/** A kustomization under k8s/ rendered once per test run and handed out as a fresh copy. */
export function rendered(target: string): KubeObject[] {
  if (!renders.has(target)) renders.set(target, renderKustomization(join(K8S_DIR, target)));
  return structuredClone(renders.get(target)!);
}

export const find = (objects: KubeObject[], kind: string, name: string) => {
  const object = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!object) throw new Error(`no ${kind}/${name}`);
  return object as KubeObject & { spec: any }; // eslint-disable-line @typescript-eslint/no-explicit-any -- test edits
};
