import { QueryApp, startQueryApp } from './query-app';

type Operation = {
  parameters?: Array<{ name: string; in: string; schema?: Record<string, unknown> }>;
  responses: Record<string, unknown>;
};

describe('query API: OpenAPI document', () => {
  let api: QueryApp;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    api = await startQueryApp({ QUERY_MAX_WAIT_MS: '1500' });
    paths = (await api.http.get('/docs-json').expect(200)).body.paths;
  });
  afterAll(() => api?.close());

  const operations = () =>
    Object.entries(paths)
      .filter(([path]) => !path.startsWith('/health') && path !== '/metrics')
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({
          route: `${method.toUpperCase()} ${path}`,
          path,
          operation,
        })),
      );

  it('documents 400, 429 and 503 on every read, and 404 wherever an id is taken', () => {
    const missing: string[] = [];
    for (const { route, path, operation } of operations()) {
      for (const status of ['400', '429', '503', ...(path.includes('{id}') ? ['404'] : [])]) {
        if (!(status in operation.responses)) missing.push(`${route} ${status}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("documents the server's real maxWaitMs cap and uuid path parameters", () => {
    for (const { route, operation } of operations()) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.name === 'maxWaitMs')
          expect({ route, maximum: parameter.schema?.maximum }).toEqual({ route, maximum: 1500 });
        if (parameter.in === 'path')
          expect({ route, format: parameter.schema?.format }).toEqual({ route, format: 'uuid' });
      }
    }
  });

  it('documents the length of text parameters', () => {
    const ownerId = paths['/accounts']!.get!.parameters!.find((parameter) => parameter.name === 'ownerId');
    expect(ownerId?.schema).toMatchObject({ minLength: 1, maxLength: 128 });
  });
});
