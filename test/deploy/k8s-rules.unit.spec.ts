import { join } from 'node:path';
import { appConfigRuleProblems } from './support/config-rules';
import { envProblems, setupPhaseProblems } from './support/env-rules';
import { apps, find, outOfBandObjects, rendered } from './support/fixtures';
import { brokenReferences } from './support/kustomize';
import { networkProblems, selectorMatches } from './support/network-rules';
import { secretPlacementProblems } from './support/secret-rules';
import { K8S_DIR, KubeObject } from './support/manifests';
import { parseQuantity } from './support/objects';
import { schemaProblems } from './support/schema';
import { autoscalingProblems, disruptionBudgetProblems, selectorProblems } from './support/wiring-rules';
import {
  commandProblems,
  probeRuleProblems,
  resourceProblems,
  securityProblems,
  serverProblems,
} from './support/workload-rules';

// Each rule must catch the mistake it exists for: these break one thing in the rendered base and expect
// exactly that to be reported.

const container = (objects: KubeObject[], deployment: string) =>
  find(objects, 'Deployment', deployment).spec.template.spec.containers[0];

describe('deployment rules catch', () => {
  it('an object that breaks the Kubernetes schema', () => {
    const objects = rendered('base');
    container(objects, 'query-api').ports[0].containerPort = 'http';
    expect(objects.flatMap(schemaProblems)).toEqual([
      'Deployment/query-api: /spec/template/spec/containers/0/ports/0/containerPort must be integer',
    ]);
  });

  it('a kind without a schema here', () => {
    expect(schemaProblems({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } })).toEqual([
      'Pod/p: no schema for v1 Pod',
    ]);
  });

  it('a container that starts an app nest-cli.json does not declare, or the wrong thing', () => {
    const objects = rendered('base');
    container(objects, 'query-api').command = ['node', 'dist/apps/query-service/src/main.js'];
    find(objects, 'Job', 'ledger-setup').spec.template.spec.containers[0].command = [
      'node',
      'dist/apps/ops-cli/src/main.js',
      'dlq',
    ];
    expect(commandProblems(objects, apps)).toEqual([
      'Deployment/query-api container query-api: command ["node","dist/apps/query-service/src/main.js"] starts no app of nest-cli.json',
      'Job/ledger-setup container setup: a Job runs only `ops-cli setup`',
    ]);
  });

  it('a probe on an undeclared port, a missing probe and a wrong health path', () => {
    const objects = rendered('base');
    container(objects, 'event-relay').readinessProbe.httpGet.port = 3000;
    delete container(objects, 'transfer-saga').livenessProbe;
    container(objects, 'command-service').startupProbe.httpGet.path = '/health';
    expect(probeRuleProblems(objects)).toEqual([
      'Deployment/command-service container command-service: startupProbe must GET /health/live, not /health',
      'Deployment/event-relay container event-relay: readinessProbe port 3000 is not a declared containerPort',
      'Deployment/transfer-saga container transfer-saga: no livenessProbe',
    ]);
  });

  it('missing limits and requests above limits', () => {
    const objects = rendered('base');
    delete container(objects, 'query-api').resources.limits.memory;
    container(objects, 'event-relay').resources.requests.cpu = '2';
    expect(resourceProblems(objects)).toEqual([
      'Deployment/event-relay container event-relay: cpu request 2 > limit 500m',
      'Deployment/query-api container query-api: memory needs a request and a limit',
    ]);
    expect(parseQuantity('512Mi')).toBe(512 * 1024 ** 2);
    expect(() => parseQuantity('1 GB')).toThrow('not a quantity');
  });

  it('a writable root filesystem, a root user and injected service links', () => {
    const objects = rendered('base');
    container(objects, 'projector-accounts').securityContext.readOnlyRootFilesystem = false;
    const pod = find(objects, 'Job', 'ledger-setup').spec.template.spec;
    delete pod.securityContext.runAsUser;
    pod.enableServiceLinks = true;
    expect(securityProblems(objects)).toEqual([
      'Deployment/projector-accounts container projector-accounts: readOnlyRootFilesystem must be true',
      'Job/ledger-setup: pod must set a numeric, non-zero runAsUser',
      'Job/ledger-setup: enableServiceLinks must be false',
    ]);
  });

  it('a server whose port variable, probes and scrape annotation disagree', () => {
    const objects = rendered('base');
    container(objects, 'projector-transfers').env.find((v: { name: string }) => v.name === 'OPS_PORT').value =
      '3012';
    find(objects, 'Deployment', 'query-api').spec.template.metadata.annotations['prometheus.io/port'] =
      '3000';
    delete find(objects, 'Deployment', 'command-service').spec.template.spec.topologySpreadConstraints;
    expect(serverProblems(objects, apps)).toEqual([
      'Deployment/command-service: replicas are neither spread nor anti-affine',
      'Deployment/projector-transfers: OPS_PORT is not a declared containerPort',
      'Deployment/projector-transfers: probes miss OPS_PORT',
      'Deployment/projector-transfers: prometheus.io/port is not OPS_PORT',
      'Deployment/query-api: prometheus.io/port is not QUERY_PORT',
    ]);
  });

  it('selectors, target ports and scale targets that reach nothing', () => {
    const objects = rendered('base');
    find(objects, 'Service', 'query-api').spec.selector = { 'app.kubernetes.io/name': 'query' };
    find(objects, 'Service', 'command-service').spec.ports[0].targetPort = 'metrics';
    find(objects, 'PodDisruptionBudget', 'event-relay').spec.selector.matchLabels = {
      'app.kubernetes.io/name': 'relay',
    };
    find(objects, 'HorizontalPodAutoscaler', 'projector-accounts').spec.scaleTargetRef.name =
      'projector-account';
    expect(selectorProblems(objects)).toEqual([
      'Service/command-service: targetPort metrics is not declared by its pods',
      "Service/query-api: selects no Deployment's pods",
      'PodDisruptionBudget/event-relay: selects no pods',
      'HorizontalPodAutoscaler/projector-accounts: scales no Deployment here',
    ]);
    expect(disruptionBudgetProblems(objects)).toEqual([
      'Deployment/event-relay: 0 PodDisruptionBudgets, want 1',
    ]);
  });

  it('autoscaling that fights the Deployment, outgrows the partitions or touches the relay', () => {
    const objects = rendered('base');
    find(objects, 'Deployment', 'query-api').spec.replicas = 3;
    find(objects, 'HorizontalPodAutoscaler', 'projector-transfers').spec.maxReplicas = 8;
    const relayScaler = structuredClone(find(objects, 'HorizontalPodAutoscaler', 'query-api'));
    relayScaler.metadata.name = 'event-relay';
    relayScaler.spec.scaleTargetRef.name = 'event-relay';
    relayScaler.spec.minReplicas = 1;
    expect(autoscalingProblems([...objects, relayScaler], apps)).toEqual([
      'HorizontalPodAutoscaler/projector-transfers: maxReplicas 8 exceeds the 6 topic partitions',
      'HorizontalPodAutoscaler/query-api: Deployment/query-api must leave replicas to the HPA',
      'HorizontalPodAutoscaler/event-relay: Deployment/event-relay must leave replicas to the HPA',
      'HorizontalPodAutoscaler/event-relay: the relay is single-active and must not autoscale',
    ]);
  });

  it('a reference to a missing key and an app without its broker list', () => {
    const objects = rendered('base');
    const relay = container(objects, 'event-relay');
    relay.env.find((v: { name: string }) => v.name === 'DATABASE_URL').valueFrom.secretKeyRef.key = 'url';
    container(objects, 'query-api').envFrom = [];
    expect(envProblems(objects, outOfBandObjects())).toEqual([
      'Deployment/event-relay container event-relay: DATABASE_URL needs key url of Secret/ledger-database',
      'Deployment/query-api container query-api: missing KAFKA_BROKERS, SCHEMA_REGISTRY_URL, NODE_ENV',
    ]);
  });

  it('a misspelt setting and a value the app refuses', () => {
    const objects = rendered('base');
    container(objects, 'event-relay').env.push({ name: 'RELAY_BATCH', value: '100' });
    container(objects, 'query-api').env.push({ name: 'QUERY_MAX_WAIT_MS', value: 'soon' });
    expect(appConfigRuleProblems(objects, outOfBandObjects(), apps)).toEqual([
      'Deployment/event-relay: RELAY_BATCH is not a setting of event-relay',
      expect.stringMatching(/^Deployment\/query-api: QUERY_MAX_WAIT_MS: /),
    ]);
  });

  it('a setup Job that cannot be applied on its own before the apps', () => {
    const objects = rendered('base');
    delete find(objects, 'ServiceAccount', 'ledger').metadata.labels!['ledger/phase'];
    find(objects, 'Deployment', 'query-api').metadata.labels!['ledger/phase'] = 'setup';
    expect(setupPhaseProblems(objects, apps)).toEqual([
      'ServiceAccount/ledger: not labelled ledger/phase=setup',
      'Deployment/query-api: an app must not be in the setup phase',
    ]);
  });

  it('a kustomization that names a missing file', () => {
    const file = join(K8S_DIR, 'base', 'kustomization.yaml');
    expect(brokenReferences(file, { resources: ['query.yaml'], patches: [{ path: 'gone.yaml' }] })).toEqual([
      'k8s/base/kustomization.yaml: resources names k8s/base/query.yaml, which does not exist',
      'k8s/base/kustomization.yaml: patches names k8s/base/gone.yaml, which does not exist',
    ]);
  });

  it('no default deny, an app reaching what it does not use, egress to anywhere, ingress from anywhere', () => {
    const objects = rendered('base').filter((o) => o.metadata.name !== 'default-deny');
    const kafka = find(objects, 'NetworkPolicy', 'allow-kafka');
    kafka.spec.podSelector.matchExpressions[0].values.push('command-service');
    delete find(objects, 'NetworkPolicy', 'allow-schema-registry').spec.egress[0].to;
    find(objects, 'NetworkPolicy', 'allow-api-ingress').spec.podSelector.matchExpressions[0].values.push(
      'event-relay',
    );
    find(objects, 'NetworkPolicy', 'allow-api-ingress').spec.ingress[0].ports.push({
      protocol: 'TCP',
      port: 'ops',
    });
    expect([...networkProblems(objects, apps)].sort()).toEqual([
      'Deployment/command-service: egress reaches [dns, kafka, postgres], want [dns, postgres]',
      'Deployment/event-relay: NetworkPolicy/allow-api-ingress admits ingress from outside monitoring to a non-API pod',
      'Deployment/event-relay: NetworkPolicy/allow-schema-registry allows egress to any destination',
      'Deployment/ops-api: NetworkPolicy/allow-schema-registry allows egress to any destination',
      'Deployment/projector-accounts: NetworkPolicy/allow-schema-registry allows egress to any destination',
      'Deployment/projector-transfers: NetworkPolicy/allow-schema-registry allows egress to any destination',
      'Deployment/transfer-saga: NetworkPolicy/allow-schema-registry allows egress to any destination',
      'Job/ledger-setup: NetworkPolicy/allow-schema-registry allows egress to any destination',
      'no default-deny NetworkPolicy for ingress and egress of every pod',
    ]);
  });

  it('an app that lost a dependency it uses', () => {
    const objects = rendered('base');
    const kafka = find(objects, 'NetworkPolicy', 'allow-kafka');
    kafka.spec.podSelector.matchExpressions[0].values = [
      'event-relay',
      'transfer-saga',
      'projector-accounts',
      'projector-transfers',
      'ops-api',
      'ledger-setup',
    ];
    expect(networkProblems(objects, apps)).toEqual([
      'Deployment/query-api: egress reaches [dns, postgres], want [dns, kafka, postgres]',
    ]);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] }, { a: 'y' }),
    ).toBe(true);
    expect(selectorMatches({}, { a: 'y' })).toBe(true);
  });

  it('a secret in a ConfigMap, credentials in a URL, a password given as a literal', () => {
    const objects = rendered('base');
    const config = objects.find((o) => o.kind === 'ConfigMap')! as unknown as {
      data: Record<string, string>;
    };
    config.data.KAFKA_SASL_PASSWORD = 'hunter2';
    config.data.SCHEMA_REGISTRY_URL = 'https://ledger:hunter2@registry:8081';
    container(objects, 'query-api').env.push({ name: 'DATABASE_URL', value: 'postgres://db/ledger' });
    container(objects, 'event-relay').env.push({ name: 'SCHEMA_REGISTRY_PASSWORD', value: 'hunter2' });
    const name = objects.find((o) => o.kind === 'ConfigMap')!.metadata.name;
    expect(secretPlacementProblems(objects).sort()).toEqual(
      [
        `ConfigMap/${name}: SCHEMA_REGISTRY_URL holds credentials in a URL`,
        `ConfigMap/${name}: KAFKA_SASL_PASSWORD is a secret and belongs in a Secret`,
        'Deployment/event-relay container event-relay: SCHEMA_REGISTRY_PASSWORD must come from a Secret',
        'Deployment/query-api container query-api: DATABASE_URL must come from a Secret',
      ].sort(),
    );
  });
});
