import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import type { KubeObject } from './manifests';

interface Validatable {
  validate(): void;
}

// The kinds k8s/ may use. A new kind is added here on purpose, so nothing goes unchecked by accident.
const MODELS: Record<string, new (data: never) => Validatable> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};

export const describeObject = (object: KubeObject) => `${object.kind}/${object.metadata.name}`;

/**
 * Problems that the Kubernetes OpenAPI schema finds in `object` (types, enums, required fields), checked
 * offline by the validators that kubernetes-models precompiles. Those schemas allow unknown fields, so a
 * misspelt optional field passes here; the project rules check the fields this project depends on.
 */
export function schemaProblems(object: KubeObject): string[] {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) return [`${describeObject(object)}: no schema for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(asApiServerReads(object) as never).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: Array<{ instancePath: string; message?: string }> }).errors;
    if (!errors) throw error;
    return errors.map(
      (issue) => `${describeObject(object)}: ${issue.instancePath || '/'} ${issue.message ?? 'is invalid'}`,
    );
  }
}

/**
 * kustomize wraps long base64 Secret values over several lines; the API server's base64 decoder skips
 * line breaks, so the schema's byte format is checked on the value as the server reads it.
 */
function asApiServerReads(object: KubeObject): KubeObject {
  const data = (object as { data?: Record<string, unknown> }).data;
  if (object.kind !== 'Secret' || !data) return object;
  const unwrapped = Object.fromEntries(
    Object.entries(data).map(([key, value]) => [
      key,
      typeof value === 'string' ? value.replace(/[\r\n]/g, '') : value,
    ]),
  );
  return { ...object, data: unwrapped };
}
