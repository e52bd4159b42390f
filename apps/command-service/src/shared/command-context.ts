import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest, Principal } from '@ledger/auth';
import { problem } from '@ledger/http';
import type { CommandTerms } from '@ledger/application';
import { ClientCommandType, commandDeclaration, type AccountState } from '@ledger/domain';
import type { EventMetadata } from '@ledger/event-store';
import { activeTraceparent } from '@ledger/observability';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';

/** What every command request carries besides its body: who, why, and its concurrency/idempotency terms. */
export interface CommandContext {
  /** The verified caller; it becomes the actor of every event the command records. */
  principal: Principal;
  idempotencyKey?: string;
  /** From `If-Match: "<version>"`. */
  expectedVersion?: number;
  metadata: EventMetadata;
  now: string;
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const IF_MATCH = /^(?:W\/)?"?(\d{1,9})"?$/;

function header(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function invalidHeader(name: string, detail: string): BadRequestException {
  return new BadRequestException(
    problem(400, { code: 'INVALID_HEADER', detail, errors: [{ field: name, message: detail }] }),
  );
}

/**
 * The stored idempotency key: the command's registered scope, the caller's subject and the client's key.
 * Scoping by subject means two clients never collide on a key, and nobody can replay (or predict the ids
 * of) another's request. The subject's length keeps the join unambiguous (subjects and keys may contain ':').
 */
export function scopedIdempotencyKey(
  context: CommandContext,
  command: ClientCommandType,
): string | undefined {
  const { idempotencyKey: key, principal } = context;
  const declaration = commandDeclaration(command);
  if (key === undefined || declaration.issuedBy !== 'client') return undefined;
  return `${declaration.idempotencyScope}:${principal.subject.length}:${principal.subject}:${key}`;
}

/**
 * The terms a request adds to its command: its scoped idempotency key with the request it fingerprints,
 * its If-Match, its metadata, and the caller's ownership rule when the command acts for an account.
 */
export function commandTerms(
  context: CommandContext,
  command: ClientCommandType,
  request: object,
  authorize?: (account: AccountState) => void,
): CommandTerms {
  const key = scopedIdempotencyKey(context, command);
  return {
    expectedVersion: context.expectedVersion,
    idempotency: key ? { key, request } : undefined,
    metadata: context.metadata,
    authorize,
  };
}

export function commandContextOf(request: AuthenticatedRequest): CommandContext {
  const principal = request.principal;
  // The guard authenticates every command route before its parameters are read.
  if (!principal) throw new Error('command route without an authenticated principal');
  const idempotencyKey = header(request, 'idempotency-key');
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw invalidHeader('Idempotency-Key', 'Idempotency-Key must be 1-128 characters of A-Z a-z 0-9 . _ : -');
  }
  const ifMatch = header(request, 'if-match');
  const versionMatch = ifMatch === undefined ? undefined : IF_MATCH.exec(ifMatch.trim());
  if (ifMatch !== undefined && !versionMatch) {
    throw invalidHeader('If-Match', 'If-Match must be the stream version returned as ETag, e.g. "3"');
  }
  const traceparent = header(request, 'traceparent');
  const correlationId = typeof request.id === 'string' ? request.id : header(request, 'x-correlation-id');
  return {
    principal,
    idempotencyKey,
    expectedVersion: versionMatch ? Number(versionMatch[1]) : undefined,
    now: new Date().toISOString(),
    metadata: {
      correlationId: correlationId ?? randomUUID(),
      // The request's span when tracing is on (its parent is the caller's traceparent), so consumers link
      // to the span that appended; the caller's valid traceparent otherwise.
      traceparent:
        activeTraceparent() ?? (traceparent && TRACEPARENT.test(traceparent) ? traceparent : undefined),
      // The actor is the verified token subject; no request header can set it.
      actor: principal.subject,
      actorRole: principal.role,
    },
  };
}

/** `@Command() context: CommandContext` in a controller method. */
export const Command = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  commandContextOf(ctx.switchToHttp().getRequest<AuthenticatedRequest>()),
);
