import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { PUBLIC_ROUTE, ROUTE_ROLES } from '@ledger/auth';
import request from 'supertest';
import { startCommandApp } from '../../apps/command-service/test/command-app';
import { startQueryApp } from '../../apps/query-api/test/query-app';

// Walks every route each HTTP API serves and proves that only the documented public ones answer without
// a token. A new controller without @Roles is refused by the guard; this test names it.

/** The routes that answer without a token, and why (also in docs/adr/0007). */
const PUBLIC_ROUTES: Record<string, string> = {
  'GET /health/live': 'liveness probe of the orchestrator; says nothing but "the process answers"',
  'GET /health/ready': 'readiness probe; names the dependencies and whether they answer, no data',
  'GET /metrics': 'Prometheus scrape, while AUTH_PUBLIC_METRICS=true (the default); admin-only otherwise',
  // and /docs, /docs-json, /docs-yaml and the OpenAPI page's assets while HTTP_DOCS=true (isDocs)
};

/** The OpenAPI page and documents (/docs, /docs-json, /docs-yaml and the page's assets), while HTTP_DOCS=true. */
const isDocs = (key: string) => /^GET \/docs([-/]|$)/.test(key);

interface Route {
  method: string;
  path: string;
}

/** Method and path of every route in the Express router (Nest's controllers and anything else mounted). */
function expressRoutes(app: INestApplication): Route[] {
  const express = app.getHttpAdapter().getInstance() as {
    router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
  };
  return express.router.stack.flatMap((layer) =>
    layer.route
      ? Object.keys(layer.route.methods)
          .filter((m) => m !== '_all')
          .map((method) => ({ method: method.toUpperCase(), path: layer.route!.path }))
      : [],
  );
}

/** Controller methods that map to a route but carry neither @Roles nor @Public. */
function unmarkedHandlers(app: INestApplication): string[] {
  const unmarked: string[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | undefined;
      if (!type) continue;
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = type.prototype[name];
        if (
          name === 'constructor' ||
          typeof handler !== 'function' ||
          Reflect.getMetadata(METHOD_METADATA, handler) === undefined
        )
          continue;
        const marked = [ROUTE_ROLES, PUBLIC_ROUTE].some(
          (key) => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, type),
        );
        if (!marked) unmarked.push(`${type.name}.${name} (${Reflect.getMetadata(PATH_METADATA, type)})`);
      }
    }
  }
  return unmarked;
}

const NOT_FOUND_ROUTE = '/{*path}';

const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000');

async function checkApi(app: INestApplication): Promise<void> {
  expect(unmarkedHandlers(app)).toEqual([]);
  const routes = expressRoutes(app);
  expect(routes.length).toBeGreaterThan(5);
  const seen: string[] = [];
  for (const { method, path } of routes) {
    const key = `${method} ${path}`;
    // Nest's catch-all answers 404 for paths no controller serves; it is a route of every method.
    if (path === NOT_FOUND_ROUTE) {
      if (method === 'GET')
        expect((await request(app.getHttpServer()).get('/no-such-route')).status).toBe(404);
      continue;
    }
    const response = await (
      request(app.getHttpServer()) as unknown as Record<string, (url: string) => request.Test>
    )[method.toLowerCase()]!(concrete(path));
    seen.push(`${key} -> ${response.status}`);
    if (!(key in PUBLIC_ROUTES) && !isDocs(key))
      expect({ key, status: response.status, authenticate: response.headers['www-authenticate'] }).toEqual({
        key,
        status: 401,
        authenticate: 'Bearer realm="ledger"',
      });
  }
  // Every documented public route the app serves answers without a token.
  const publicOnes = seen.filter(
    (entry) => entry.split(' -> ')[0]! in PUBLIC_ROUTES || isDocs(entry.split(' -> ')[0]!),
  );
  expect(publicOnes.map((entry) => entry.split(' -> ')[0])).toEqual(
    expect.arrayContaining(['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /docs-json']),
  );
  for (const line of publicOnes) expect(line).not.toMatch(/-> 40[13]$/);
}

describe('every route of the HTTP APIs requires a token, except the documented public ones', () => {
  it('command service', async () => {
    const service = await startCommandApp();
    try {
      await checkApi(service.app);
      expect(expressRoutes(service.app).map((r) => `${r.method} ${r.path}`)).toEqual(
        expect.arrayContaining(['POST /accounts', 'POST /transfers', 'GET /metrics']),
      );
    } finally {
      await service.close();
    }
  });

  it('query API', async () => {
    const api = await startQueryApp();
    try {
      await checkApi(api.app);
      expect(expressRoutes(api.app).map((r) => `${r.method} ${r.path}`)).toEqual(
        expect.arrayContaining(['GET /accounts', 'GET /accounts/:id/history', 'GET /projections']),
      );
    } finally {
      await api.close();
    }
  });

  it('puts /metrics behind an admin token and drops /docs when configured so', async () => {
    const service = await startCommandApp({ AUTH_PUBLIC_METRICS: 'false' });
    try {
      const metrics = await service.anonymous.get('/metrics');
      expect([metrics.status, metrics.headers['www-authenticate']]).toEqual([401, 'Bearer realm="ledger"']);
      await (await service.as('teller-1', 'teller')).get('/metrics').expect(403);
      await service.http.get('/metrics').expect(200);
      await service.anonymous.get('/health/ready').expect(200);
    } finally {
      await service.close();
    }
  });
});
