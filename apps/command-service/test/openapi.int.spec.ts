import { CommandApp, startCommandApp } from './command-app';

type Operation = {
  parameters?: Array<{ name: string; in: string; schema?: Record<string, unknown> }>;
  responses: Record<string, unknown>;
  requestBody?: unknown;
};

// The served OpenAPI document says every status a route can answer and the rules its input must follow.
describe('command service: OpenAPI document', () => {
  let service: CommandApp;
  let document: {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> };
  };
  beforeAll(async () => {
    service = await startCommandApp();
    document = (await service.http.get('/docs-json').expect(200)).body;
  });
  afterAll(() => service.close());

  const operations = () =>
    Object.entries(document.paths)
      .filter(([path]) => !path.startsWith('/health') && path !== '/metrics')
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({
          route: `${method.toUpperCase()} ${path}`,
          path,
          method,
          operation,
        })),
      );

  it('documents 400 and 429 on every route, 413 and 415 on every command, 404 wherever an id is taken', () => {
    const missing: string[] = [];
    for (const { route, path, method, operation } of operations()) {
      const expected = [
        '400',
        '429',
        ...(method === 'post' ? ['413', '415', '422'] : []),
        ...(path.includes('{id}') || path === '/transfers' ? ['404'] : []),
      ];
      for (const status of expected) if (!(status in operation.responses)) missing.push(`${route} ${status}`);
    }
    expect(missing).toEqual([]);
  });

  it('documents uuid path parameters and header patterns', () => {
    for (const { route, operation } of operations()) {
      for (const parameter of operation.parameters ?? []) {
        if (parameter.in === 'path')
          expect({ route, schema: parameter.schema }).toMatchObject({ route, schema: { format: 'uuid' } });
        if (parameter.in === 'header')
          expect({ route, schema: parameter.schema }).toMatchObject({
            route,
            schema: { pattern: expect.any(String) },
          });
      }
    }
  });

  it('documents text lengths, the ledger maximum and the ISO 4217 currencies', () => {
    const open = document.components.schemas.OpenAccountBody!.properties;
    expect(open.ownerId).toMatchObject({ minLength: 1, maxLength: 128 });
    expect(open.overdraftLimit).toMatchObject({ maximum: 999_999_999_999_999 });
    expect(open.currency!.enum).toEqual(expect.arrayContaining(['EUR', 'USD', 'JPY']));
    expect(open.currency!.enum).not.toEqual(expect.arrayContaining(['XXX']));
    expect(document.components.schemas.RequestTransferBody!.properties.toAccountId).toMatchObject({
      format: 'uuid',
    });
  });

  it("documents each command's answer with the state it left: the account's balances and status, the transfer's status", () => {
    const schemas = document.components.schemas;
    const answerOf = (path: string, status: string) =>
      (
        document.paths[path]!.post!.responses[status] as {
          content: Record<string, { schema: { $ref: string } }>;
        }
      ).content['application/json']!.schema.$ref;
    for (const path of [
      '/accounts/{id}/deposits',
      '/accounts/{id}/withdrawals',
      '/accounts/{id}/freeze',
      '/accounts/{id}/close',
    ]) {
      expect(answerOf(path, '200')).toBe('#/components/schemas/AccountCommandResponse');
    }
    expect(answerOf('/accounts', '201')).toBe('#/components/schemas/AccountCommandResponse');
    expect(answerOf('/transfers', '202')).toBe('#/components/schemas/TransferCommandResponse');
    expect(Object.keys(schemas.AccountOutcomeView!.properties)).toEqual([
      'status',
      'currency',
      'balance',
      'availableBalance',
    ]);
    expect(schemas.AccountCommandResponse!.properties.account).toMatchObject({
      allOf: [{ $ref: '#/components/schemas/AccountOutcomeView' }],
    });
    expect(schemas.TransferCommandResponse!.properties.transfer).toMatchObject({
      allOf: [{ $ref: '#/components/schemas/TransferOutcomeView' }],
    });
    expect(schemas.TransferOutcomeView!.properties.status).toMatchObject({
      enum: expect.arrayContaining(['requested', 'completed', 'failed']),
    });
  });
});
