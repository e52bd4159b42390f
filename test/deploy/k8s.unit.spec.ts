import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { PORT_VARIABLE, appOfCommand } from './support/apps';
import { appConfigRuleProblems } from './support/config-rules';
import { envProblems, setupPhaseProblems } from './support/env-rules';
import { apps, find, outOfBandObjects, rendered } from './support/fixtures';
import { brokenReferences, Kustomization, patchFiles, referencesOf } from './support/kustomize';
import {
  isKubeObject,
  isKustomization,
  K8S_DIR,
  listYamlFiles,
  readYamlFile,
  REPO_ROOT,
} from './support/manifests';
import { deployments, isLedgerImage, ledgerContainers, workloads } from './support/objects';
import { networkProblems } from './support/network-rules';
import { secretPlacementProblems } from './support/secret-rules';
import { schemaProblems } from './support/schema';
import { autoscalingProblems, disruptionBudgetProblems, selectorProblems } from './support/wiring-rules';
import {
  commandProblems,
  probeRuleProblems,
  resourceProblems,
  securityProblems,
  serverProblems,
} from './support/workload-rules';

const yamlFiles = listYamlFiles(K8S_DIR);
const kustomizations = yamlFiles
  .filter(isKustomization)
  .map((file) => ({ file, kustomization: readYamlFile(file).documents[0] as Kustomization }));

describe('files under k8s/', () => {
  it('parse as YAML without errors or duplicate keys', () => {
    expect(yamlFiles.length).toBeGreaterThan(10);
    for (const file of yamlFiles) expect(() => readYamlFile(file)).not.toThrow();
  });

  it('name only existing files from every kustomization', () => {
    expect(kustomizations.map(({ file }) => relative(K8S_DIR, file)).sort()).toEqual([
      'base/kustomization.yaml',
      'monitoring/kustomization.yaml',
      'overlays/local/dependencies/kustomization.yaml',
      'overlays/local/kustomization.yaml',
      'overlays/production/kustomization.yaml',
    ]);
    expect(
      kustomizations.flatMap(({ file, kustomization }) => brokenReferences(file, kustomization)),
    ).toEqual([]);
  });

  it('are all used by a kustomization, except secret templates', () => {
    const used = new Set(
      kustomizations.flatMap(({ file, kustomization }) =>
        referencesOf(file, kustomization).map((r) => r.target),
      ),
    );
    const unused = yamlFiles.filter(
      (file) => !isKustomization(file) && !file.endsWith('.template.yaml') && !used.has(file),
    );
    expect(unused.map((file) => relative(REPO_ROOT, file))).toEqual([]);
  });

  it('hold complete objects that pass the Kubernetes schema, patches aside', () => {
    const patches = new Set(
      kustomizations.flatMap(({ file, kustomization }) => patchFiles(file, kustomization)),
    );
    const objects = yamlFiles
      .filter((file) => !isKustomization(file) && !patches.has(file))
      .flatMap((file) => readYamlFile(file).documents);
    expect(objects.filter((object) => !isKubeObject(object))).toEqual([]);
    expect(objects.length).toBeGreaterThan(20);
    expect(objects.filter(isKubeObject).flatMap(schemaProblems)).toEqual([]);
  });

  it('keep every secret out of every kustomization but the local one, as templates without real values', () => {
    expect(outOfBandObjects().map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Secret/ledger-database',
      'Secret/ledger-kafka',
      'Secret/ledger-kafka-tls',
      'Secret/ledger-schema-registry',
    ]);
    expect(rendered('overlays/production').filter((o) => o.kind === 'Secret')).toEqual([]);
    const values = outOfBandObjects().flatMap((o) =>
      Object.values((o as { stringData?: Record<string, string> }).stringData ?? {}),
    );
    // Placeholders only: upper-case words where a credential goes, never something usable.
    expect(
      values.filter((value) => !/^(postgres:\/\/[A-Z_]+:PASSWORD@HOST:5432\/ledger|[A-Z ()]+)$/.test(value)),
    ).toEqual([]);
  });

  it('create the database roles in the local Postgres from exact copies of scripts/db/', () => {
    for (const file of ['roles.sql', 'create-roles.sh', 'docker-init.sh']) {
      const copy = readFileSync(join(K8S_DIR, 'overlays/local/dependencies/postgres-init', file), 'utf8');
      expect(copy).toBe(readFileSync(join(REPO_ROOT, 'scripts/db', file), 'utf8'));
    }
  });

  it('give each app its own database role, and the setup Job the owner role', () => {
    const keys = workloads(rendered('base')).flatMap((w) =>
      w.pod.containers.map((c) => [
        w.name,
        c.env?.find((v) => v.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef?.key,
      ]),
    );
    expect(Object.fromEntries(keys)).toEqual({
      'ledger-setup': 'owner',
      'command-service': 'command-service',
      'query-api': 'query-api',
      'ops-api': 'ops-api',
      'event-relay': 'event-relay',
      'transfer-saga': 'transfer-saga',
      'projector-accounts': 'projector-accounts',
      'projector-transfers': 'projector-transfers',
    });
  });
});

describe.each(['base', 'overlays/local', 'overlays/production'])('k8s/%s, rendered', (target) => {
  const objects = rendered(target);

  it('passes the Kubernetes schema, object by object', () => {
    expect(objects.flatMap(schemaProblems)).toEqual([]);
  });

  it('places every object in the ledger namespace', () => {
    const outside = objects.filter(
      (o) => (o.kind === 'Namespace' ? o.metadata.name : o.metadata.namespace) !== 'ledger',
    );
    expect(outside.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([]);
  });

  it('deploys each server app once, and nothing that nest-cli.json does not declare', () => {
    const started = deployments(objects).flatMap((d) =>
      ledgerContainers(d).map((c) => appOfCommand(c.command, apps)?.app),
    );
    expect(started.sort()).toEqual(Object.keys(PORT_VARIABLE).sort());
    expect(Object.keys(PORT_VARIABLE).filter((app) => !apps.has(app))).toEqual([]);
    expect(commandProblems(objects, apps)).toEqual([]);
  });

  it('probes every Deployment for readiness and liveness on a declared port', () => {
    expect(probeRuleProblems(objects)).toEqual([]);
  });

  it('gives every container CPU and memory requests and limits', () => {
    expect(resourceProblems(objects)).toEqual([]);
  });

  it('runs every pod under the restricted Pod Security Standard', () => {
    expect(securityProblems(objects)).toEqual([]);
  });

  it('keeps each server port, its probes and its scrape annotations in agreement', () => {
    expect(serverProblems(objects, apps)).toEqual([]);
  });

  it('connects every Service, PodDisruptionBudget and autoscaler to a Deployment', () => {
    expect(selectorProblems(objects)).toEqual([]);
    expect(disruptionBudgetProblems(objects)).toEqual([]);
  });

  it('leaves replicas to the autoscalers, within the partition count, and never autoscales the relay', () => {
    expect(autoscalingProblems(objects, apps)).toEqual([]);
  });

  it('resolves every ConfigMap and Secret reference and gives each app its connection settings', () => {
    expect(envProblems(objects, outOfBandObjects())).toEqual([]);
  });

  it('gives each app only settings its configuration schema knows, with values it accepts', () => {
    expect(appConfigRuleProblems(objects, outOfBandObjects(), apps)).toEqual([]);
  });

  it('can apply and finish the setup Job before any app starts', () => {
    expect(setupPhaseProblems(objects, apps)).toEqual([]);
  });

  it('denies all traffic but what each app uses: its dependencies, DNS, the APIs, metrics scraping', () => {
    expect(networkProblems(objects, apps)).toEqual([]);
  });

  it('keeps every secret in a Secret: none in a ConfigMap, none as a literal in a pod', () => {
    expect(secretPlacementProblems(objects)).toEqual([]);
  });
});

describe('the overlays', () => {
  it('pin the production image to a released version', () => {
    const images = deployments(rendered('overlays/production')).flatMap((d) =>
      d.pod.containers.map((c) => c.image),
    );
    expect(images.every((image) => isLedgerImage(image) && /:\d+\.\d+\.\d+$/.test(image!))).toBe(true);
  });

  it('keep a standby relay in production', () => {
    expect(find(rendered('overlays/production'), 'Deployment', 'event-relay').spec.replicas).toBe(2);
  });

  it('point the local apps at dependencies the local overlay deploys', () => {
    const objects = rendered('overlays/local');
    const config = objects.find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('ledger-config'),
    )!;
    const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name.startsWith('ledger-database'))!;
    const { data } = config as unknown as { data: Record<string, string> };
    const databaseUrl = Buffer.from(
      (secret as unknown as { data: Record<string, string> }).data['command-service'],
      'base64',
    ).toString();
    const addresses = [
      ...data.KAFKA_BROKERS.split(','),
      new URL(data.SCHEMA_REGISTRY_URL).host,
      new URL(databaseUrl).host,
    ];
    const services = new Set(
      objects
        .filter((o) => o.kind === 'Service')
        .flatMap((o) =>
          ((o.spec as { ports: Array<{ port: number }> }).ports ?? []).map(
            (p) => `${o.metadata.name}:${p.port}`,
          ),
        ),
    );
    expect(addresses.filter((address) => !services.has(address))).toEqual([]);
  });
});
