const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export class RegistryRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'RegistryRequestError';
  }
}

export interface CompatibilityVerdict {
  compatible: boolean;
  /** Reasons, when the registry gives them (Apicurio answers with the verdict only). */
  messages: string[];
}

/**
 * The administrative part of the Confluent schema-registry API that the client library does not cover:
 * subject compatibility levels, compatibility checks against all registered versions, lookups.
 */
export class RegistryAdmin {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
    /** Extra request headers: the registry's credentials when it asks for them. */
    private readonly headers: Record<string, string> = {},
  ) {}

  /** True when the registry answers at all; used to decide whether the registry gate can run. */
  async reachable(timeoutMs = 2_000): Promise<boolean> {
    try {
      await this.request('GET', '/config', undefined, timeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  async setCompatibility(subject: string, level: string): Promise<void> {
    await this.request('PUT', `/config/${encodeURIComponent(subject)}`, { compatibility: level });
  }

  /** The subject's own level, or undefined when the subject has none (Confluent answers 404). */
  async subjectCompatibility(subject: string): Promise<string | undefined> {
    const body = await this.optional<{ compatibilityLevel: string }>(
      'GET',
      `/config/${encodeURIComponent(subject)}`,
    );
    return body?.compatibilityLevel;
  }

  /** Registered version numbers of a subject; empty when the subject does not exist. */
  async versions(subject: string): Promise<number[]> {
    return (await this.optional<number[]>('GET', `/subjects/${encodeURIComponent(subject)}/versions`)) ?? [];
  }

  /** The id and version under which `schema` is registered in `subject`, if it is. */
  async lookup(subject: string, schema: string): Promise<{ id: number; version: number } | undefined> {
    return this.optional('POST', `/subjects/${encodeURIComponent(subject)}`, { schema });
  }

  /**
   * Asks whether `schema` may be added to `subject` under the subject's compatibility level, checked
   * against all registered versions. A subject that does not exist yet accepts anything.
   */
  async checkCompatibility(subject: string, schema: string): Promise<CompatibilityVerdict> {
    const path = `/compatibility/subjects/${encodeURIComponent(subject)}/versions?verbose=true`;
    const body = await this.optional<{ is_compatible: boolean; messages?: string[] }>('POST', path, {
      schema,
    });
    return { compatible: body?.is_compatible ?? true, messages: body?.messages ?? [] };
  }

  /** The schema text registered as `version` of `subject`. */
  async schemaOf(subject: string, version: number): Promise<string> {
    const body = await this.request<{ schema: string }>(
      'GET',
      `/subjects/${encodeURIComponent(subject)}/versions/${version}`,
    );
    return body.schema;
  }

  /** Removes a subject for good (soft delete, then permanent); for throw-away subjects in tests. */
  async deleteSubject(subject: string): Promise<void> {
    await this.optional('DELETE', `/subjects/${encodeURIComponent(subject)}`);
    await this.optional('DELETE', `/subjects/${encodeURIComponent(subject)}?permanent=true`);
  }

  private async optional<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
    try {
      return await this.request<T>(method, path, body);
    } catch (error) {
      if (error instanceof RegistryRequestError && error.status === 404) return undefined;
      throw error;
    }
  }

  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = this.timeoutMs,
  ): Promise<T> {
    const response = await fetch(`${this.baseUrl.replace(/\/$/, '')}${path}`, {
      method,
      headers: { ...this.headers, Accept: CONTENT_TYPE, 'Content-Type': CONTENT_TYPE },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) {
      const detail = parsed as { message?: string; error_code?: number } | undefined;
      throw new RegistryRequestError(
        response.status,
        detail?.error_code,
        `${method} ${path} answered ${response.status}: ${detail?.message ?? text}`,
      );
    }
    return parsed as T;
  }
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
