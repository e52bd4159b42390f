import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Role } from './principal';

export const PUBLIC_ROUTE = 'ledger:auth:public';
export const ROUTE_ROLES = 'ledger:auth:roles';

/**
 * Why a route answers without a token: `always` (health probes), or `metrics` (when AUTH_PUBLIC_METRICS
 * is true). Every other route must name its roles with @Roles: the guard refuses routes that name none.
 */
export type PublicReason = 'always' | 'metrics';

export const Public = (reason: PublicReason = 'always') => SetMetadata(PUBLIC_ROUTE, reason);

/** The roles that may call a route (also documented in OpenAPI); ownership is checked by the route itself. */
export const Roles = (...roles: Role[]) =>
  applyDecorators(
    SetMetadata(ROUTE_ROLES, roles),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      description: 'No valid bearer token (problem+json, WWW-Authenticate: Bearer)',
    }),
    ApiForbiddenResponse({
      description: `FORBIDDEN: the token's role may not call this route (allowed: ${roles.join(', ')})`,
    }),
  );
