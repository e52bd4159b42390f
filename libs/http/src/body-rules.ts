import type { NextFunction, Request, Response } from 'express';
import { sendEdgeProblem } from './problem-response';

/** Deeper JSON is refused before validation walks it (class-validator recurses, and overflows the stack). */
export const MAX_JSON_DEPTH = 32;
/** An error lists at most this many fields, then says how many more there were. */
export const MAX_LISTED_ERRORS = 20;

// Keys that name the prototype chain: JSON.parse keeps them as plain own keys, but class-transformer drops
// them silently, so they would slip past the unknown-field check.
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface FieldError {
  field: string;
  message: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Text that Postgres and Avro can store as it is: well-formed UTF-16 (no lone surrogate) and no NUL. */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

export const STORABLE_TEXT_MESSAGE = 'must not contain NUL characters or unpaired surrogates';

/**
 * Walks a parsed JSON body without recursion and lists what no field may hold: nesting deeper than
 * MAX_JSON_DEPTH, prototype keys, and text that cannot be stored.
 */
export function hostileBodyErrors(body: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const pending: Array<{ value: unknown; path: string; depth: number }> = [
    { value: body, path: '', depth: 0 },
  ];
  while (pending.length > 0 && errors.length <= MAX_LISTED_ERRORS) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (!isStorableText(value))
        errors.push({ field: path || '(body)', message: `${path || 'body'} ${STORABLE_TEXT_MESSAGE}` });
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      errors.push({
        field: path || '(body)',
        message: `nesting deeper than ${MAX_JSON_DEPTH} levels is not accepted`,
      });
      continue;
    }
    for (const [key, child] of Object.entries(value)) {
      const childPath = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key) || !isStorableText(key)) {
        errors.push({ field: childPath, message: `property ${JSON.stringify(key)} should not exist` });
        continue;
      }
      pending.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return errors;
}

/** `{ errors, errorsOmitted }` with at most MAX_LISTED_ERRORS listed, so an error body stays small. */
export function cappedErrors(errors: FieldError[]): { errors: FieldError[]; errorsOmitted?: number } {
  if (errors.length <= MAX_LISTED_ERRORS) return { errors };
  return { errors: errors.slice(0, MAX_LISTED_ERRORS), errorsOmitted: errors.length - MAX_LISTED_ERRORS };
}

/** Express middleware, after the JSON parser. */
export function refuseHostileBodies(request: Request, response: Response, next: NextFunction): void {
  const errors = request.body === undefined ? [] : hostileBodyErrors(request.body);
  if (errors.length === 0) return next();
  sendEdgeProblem(request, response, 400, {
    code: 'VALIDATION_FAILED',
    detail: 'the request is invalid',
    ...cappedErrors(errors),
  });
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function hasBody(request: Request): boolean {
  return (
    request.headers['transfer-encoding'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0
  );
}

/**
 * Commands take JSON or nothing. A form post or text/plain (what a cross-site form or a "simple" CORS
 * request can send without a preflight) is refused with 415 even when empty, so no browser page elsewhere
 * can trigger a command.
 */
export function requireJsonBodies(request: Request, response: Response, next: NextFunction): void {
  if (!BODY_METHODS.has(request.method)) return next();
  const type = request.headers['content-type'];
  if (type === undefined ? !hasBody(request) : JSON_TYPE.test(type)) return next();
  sendEdgeProblem(request, response, 415, {
    code: 'UNSUPPORTED_MEDIA_TYPE',
    detail: 'send the body as application/json (or send no body and no Content-Type)',
  });
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };

/** Bytes in a size such as `16kb` (HTTP_BODY_LIMIT's format). */
export function parseSize(size: string): number {
  const match = /^(\d+)(b|kb|mb)$/i.exec(size);
  if (!match) throw new RangeError(`not a size: ${size}`);
  return Number(match[1]) * UNITS[match[2]!.toLowerCase()]!;
}

/**
 * A declared Content-Length over the limit is refused before a byte of the body is read. (The JSON parser
 * refuses it too, but only after draining the whole body, which a client can make arbitrarily slow.)
 */
export function refuseDeclaredOversize(limit: string) {
  const maxBytes = parseSize(limit);
  return (request: Request, response: Response, next: NextFunction): void => {
    if (Number(request.headers['content-length'] ?? 0) <= maxBytes) return next();
    response.setHeader('Connection', 'close');
    sendEdgeProblem(request, response, 413, {
      code: 'BODY_TOO_LARGE',
      detail: `request body is larger than ${limit}`,
    });
  };
}
