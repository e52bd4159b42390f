import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Principal } from '../principal';
import type { AuthenticatedRequest } from './auth.guard';

/** `@CurrentPrincipal() principal: Principal`: the verified caller (only on routes with @Roles). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  // The guard sets it on every non-public route; its absence is a wiring defect, never a client error.
  if (!principal) throw new Error('no authenticated principal on this request: the route is missing @Roles');
  return principal;
});
