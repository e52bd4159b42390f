import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { REPO_ROOT } from './manifests';

interface Generator {
  files?: string[];
  envs?: string[];
}

/** The fields of a kustomization that name other files. */
export interface Kustomization {
  resources?: string[];
  components?: string[];
  patches?: Array<{ path?: string; patch?: string }>;
  patchesStrategicMerge?: string[];
  patchesJson6902?: Array<{ path?: string }>;
  configMapGenerator?: Generator[];
  secretGenerator?: Generator[];
}

export interface FileReference {
  /** What names it, e.g. `resources` or `patches`. */
  field: string;
  /** Absolute path. */
  target: string;
}

// A generator's `files` entry may be `key=path`; the file is what follows the first `=`.
const generatorFile = (entry: string) => (entry.includes('=') ? entry.slice(entry.indexOf('=') + 1) : entry);

export function referencesOf(kustomizationFile: string, kustomization: Kustomization): FileReference[] {
  const dir = dirname(kustomizationFile);
  const at = (field: string) => (path: string) => ({ field, target: resolve(dir, path) });
  const generators = [...(kustomization.configMapGenerator ?? []), ...(kustomization.secretGenerator ?? [])];
  return [
    ...(kustomization.resources ?? []).map(at('resources')),
    ...(kustomization.components ?? []).map(at('components')),
    ...(kustomization.patches ?? []).flatMap((patch) => (patch.path ? [at('patches')(patch.path)] : [])),
    ...(kustomization.patchesStrategicMerge ?? []).map(at('patchesStrategicMerge')),
    ...(kustomization.patchesJson6902 ?? []).flatMap((patch) =>
      patch.path ? [at('patchesJson6902')(patch.path)] : [],
    ),
    ...generators.flatMap((generator) => [
      ...(generator.files ?? []).map((entry) => at('generator files')(generatorFile(entry))),
      ...(generator.envs ?? []).map(at('generator envs')),
    ]),
  ];
}

/** A reference is broken when its file is missing, or it names a directory without a kustomization. */
export function brokenReferences(kustomizationFile: string, kustomization: Kustomization): string[] {
  const from = relative(REPO_ROOT, kustomizationFile);
  return referencesOf(kustomizationFile, kustomization).flatMap(({ field, target }) => {
    const shown = relative(REPO_ROOT, target);
    if (!existsSync(target)) return [`${from}: ${field} names ${shown}, which does not exist`];
    if (statSync(target).isDirectory() && !existsSync(join(target, 'kustomization.yaml'))) {
      return [`${from}: ${field} names directory ${shown}, which has no kustomization.yaml`];
    }
    return [];
  });
}

/** Files that a kustomization applies as patches: partial objects, validated only once rendered. */
export function patchFiles(kustomizationFile: string, kustomization: Kustomization): string[] {
  return referencesOf(kustomizationFile, kustomization)
    .filter(({ field }) => field.startsWith('patches'))
    .map(({ target }) => target);
}
