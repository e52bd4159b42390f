import { z } from 'zod';

/**
 * The HTTP edge's settings, shared by every API's config schema (extend the app's schema with its
 * `.shape`). Defaults are safe for production; tests and benchmarks raise the rate limit where they need to.
 */
export const httpEnvSchema = z.object({
  /** Largest JSON body accepted; a larger declared or sent body is refused with 413. */
  HTTP_BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'a size such as 16kb')
    .default('16kb'),
  /** The whole request (headers and body) must arrive within this time, or the connection is cut (408). */
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(300_000).default(10_000),
  /** The headers must arrive within this time (at most HTTP_REQUEST_TIMEOUT_MS). */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(300_000).default(5_000),
  /** Requests one client IP may make per HTTP_RATE_LIMIT_WINDOW_MS; 0 turns rate limiting off. */
  HTTP_RATE_LIMIT: z.coerce.number().int().min(0).default(3_000),
  HTTP_RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  /** Comma-separated origins allowed by CORS; empty (the default) sends no CORS headers at all. */
  HTTP_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().url())),
});

export type HttpEnv = z.infer<typeof httpEnvSchema>;
