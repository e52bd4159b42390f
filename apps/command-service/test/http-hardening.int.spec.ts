import { AddressInfo, connect } from 'node:net';
import { CommandApp, startCommandApp } from './command-app';

/** Sends raw bytes and collects what comes back until the server closes the connection (or `waitMs`). */
function rawExchange(
  port: number,
  sends: string[],
  waitMs = 8_000,
): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connection still open after ${waitMs} ms; got ${JSON.stringify(text)}`));
    }, waitMs);
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closedAfterMs: Date.now() - started });
    });
    socket.on('connect', () => sends.forEach((data) => socket.write(data)));
  });
}

const bodyOf = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));

describe('command service: HTTP hardening', () => {
  let service: CommandApp;
  let port: number;
  beforeAll(async () => {
    service = await startCommandApp({ HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_HEADERS_TIMEOUT_MS: '2000' });
    await service.app.listen(0, '127.0.0.1');
    port = (service.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => service.close());

  it('sends security headers and no X-Powered-By', async () => {
    const response = await service.http
      .get('/accounts/00000000-0000-4000-8000-000000000000/state')
      .expect(404);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers).not.toHaveProperty('x-powered-by');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('serves /docs under a strict CSP that still lets Swagger UI load its own scripts and styles', async () => {
    const page = await service.http.get('/docs').expect(200);
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    const scripts = [...page.text.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, inline] of scripts) {
      expect(inline.trim()).toBe(''); // no inline script: 'self' covers them all
      const src = /src="([^"]+)"/.exec(attributes)![1]!;
      expect(src).not.toMatch(/^(?:https?:)?\/\//);
      await service.http.get(new URL(src, 'http://x/docs').pathname).expect(200);
    }
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const response = await service.http
      .options('/accounts')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(response.headers).not.toHaveProperty('access-control-allow-origin');
    const allowed = await startCommandApp({ HTTP_CORS_ORIGINS: 'https://bank.example' });
    try {
      const preflight = await allowed.http
        .options('/accounts')
        .set('Origin', 'https://bank.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBe('https://bank.example');
    } finally {
      await allowed.close();
    }
  });

  it('answers a malformed request line with a problem+json 400 and closes', async () => {
    const { text } = await rawExchange(port, ['GARBAGE\r\n\r\n']);
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toMatch(/content-type: application\/problem\+json/i);
    expect(bodyOf(text)).toMatchObject({ status: 400, correlationId: expect.any(String) });
  });

  it('answers headers that are too large with a problem+json 431', async () => {
    const { text } = await rawExchange(port, [
      `GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    ]);
    expect(text).toMatch(/^HTTP\/1\.1 431 /);
    expect(bodyOf(text)).toMatchObject({ status: 431, title: 'Request Header Fields Too Large' });
  });

  it('refuses a declared oversized Content-Length at once, without waiting for the body', async () => {
    const started = Date.now();
    const { text } = await rawExchange(port, [
      'POST /accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\nConnection: close\r\n\r\n{',
    ]);
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(bodyOf(text)).toMatchObject({ status: 413, code: 'BODY_TOO_LARGE' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('cuts a body that stops arriving within seconds, with a problem+json 408', async () => {
    const before = await service.eventCount();
    const { text, closedAfterMs } = await rawExchange(port, [
      'POST /accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ownerId":',
    ]);
    expect(closedAfterMs).toBeLessThan(4_000);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(bodyOf(text)).toMatchObject({ status: 408 });
    expect(await service.eventCount()).toBe(before);
  });

  it('limits requests per client with a 429 problem and Retry-After; probes are not limited', async () => {
    const limited = await startCommandApp({ HTTP_RATE_LIMIT: '3', HTTP_RATE_LIMIT_WINDOW_MS: '60000' });
    try {
      const unknown = '/accounts/00000000-0000-4000-8000-000000000000/state';
      for (let i = 0; i < 3; i++) await limited.http.get(unknown).expect(404);
      const refused = await limited.http
        .post('/accounts')
        .send({ ownerId: 'o', currency: 'EUR' })
        .expect(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      await limited.http.get('/health/live').expect(200);
      expect(await limited.eventCount()).toBe(0);
    } finally {
      await limited.close();
    }
  });
});
