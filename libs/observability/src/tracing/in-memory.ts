import { type Instrumentation, type InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing, type Tracing } from './sdk';

export interface InMemoryTracing {
  /** Every span ended so far, in the order they ended. */
  spans(): ReadableSpan[];
  reset(): void;
  shutdown(): Promise<void>;
}

function versionOf(name: string, load: (name: string) => unknown): string {
  try {
    return (load(`${name}/package.json`) as { version: string }).version;
  } catch {
    return process.versions.node; // a core module
  }
}

/**
 * Applies the instrumentations to modules loaded by a module system that bypasses Node's `require` hooks
 * (Jest keeps its own registry per test file): each definition patches the exports this registry returns.
 */
function patchThroughRegistry(instrumentations: Instrumentation[], load: (name: string) => unknown): void {
  for (const instrumentation of instrumentations) {
    const withModules = instrumentation as Instrumentation & {
      getModuleDefinitions?: () => InstrumentationModuleDefinition[];
    };
    for (const definition of withModules.getModuleDefinitions?.() ?? []) {
      const patchable = definition as InstrumentationModuleDefinition & {
        patch?: (exports: unknown, version?: string) => unknown;
      };
      const version = versionOf(definition.name, load);
      if (patchable.patch) {
        patchable.patch(load(definition.name), version);
      } else {
        for (const file of definition.files) file.patch(load(file.name), version);
      }
    }
  }
}

/**
 * Tracing into memory for tests: the same provider, propagation and instrumentations as production, with
 * a simple processor so a span is readable as soon as it ends. `load` is the caller's `require`, so the
 * modules patched are the ones the code under test uses.
 */
export function startInMemoryTracing(load: (name: string) => unknown, service = 'test'): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const tracing: Tracing = startTracing(service, {
    env: {},
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  patchThroughRegistry(tracing.instrumentations, load);
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    shutdown: () => tracing.shutdown(),
  };
}
