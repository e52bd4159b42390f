import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const K8S_DIR = join(REPO_ROOT, 'k8s');

/** A Kubernetes object as parsed from YAML: only the envelope is known until validated. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

export interface YamlFile {
  /** Path relative to the repository root. */
  path: string;
  documents: unknown[];
}

export function listYamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) return listYamlFiles(full);
    return /\.ya?ml$/.test(entry) ? [full] : [];
  });
}

/** Parses every document of a YAML file; a syntax error or a duplicate key throws, naming the file. */
export function readYamlFile(file: string): YamlFile {
  const path = relative(REPO_ROOT, file);
  const documents = parseAllDocuments(readFileSync(file, 'utf8'), { merge: true, uniqueKeys: true });
  if (!Array.isArray(documents)) throw new Error(`${path}: not a YAML stream`);
  const errors = documents.flatMap((doc) => doc.errors.map((error) => `${path}: ${error.message}`));
  if (errors.length > 0) throw new Error(errors.join('\n'));
  return { path, documents: documents.map((doc) => doc.toJS()).filter((doc) => doc !== null) };
}

export const isKustomization = (file: string) => basename(file) === 'kustomization.yaml';

export function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null) return false;
  const object = value as Partial<KubeObject>;
  return (
    typeof object.apiVersion === 'string' &&
    typeof object.kind === 'string' &&
    typeof object.metadata?.name === 'string'
  );
}

/** `kubectl kustomize` (or a standalone `kustomize build`): both render offline, without a cluster. */
export function renderKustomization(dir: string): KubeObject[] {
  const attempts: Array<[string, string[]]> = [
    ['kubectl', ['kustomize', dir]],
    ['kustomize', ['build', dir]],
  ];
  for (const [binary, args] of attempts) {
    let output: string;
    try {
      output = execFileSync(binary, args, {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 30_000,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      const stderr = (error as { stderr?: string }).stderr ?? String(error);
      throw new Error(`${binary} could not render ${relative(REPO_ROOT, dir)}:\n${stderr}`);
    }
    const documents = parseAllDocuments(output).map((doc) => doc.toJS());
    const invalid = documents.filter((doc) => !isKubeObject(doc));
    if (invalid.length > 0)
      throw new Error(`${relative(REPO_ROOT, dir)} rendered documents that are not objects`);
    return documents as KubeObject[];
  }
  throw new Error('rendering kustomizations needs kubectl or kustomize on PATH');
}

export const fileExists = (path: string) => existsSync(path);
