import { CanActivate, ExecutionContext, HttpException, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { problem } from '@ledger/http';
import type { Request, Response } from 'express';
import type { AuthConfig } from '../config';
import type { Principal, Role } from '../principal';
import { PUBLIC_ROUTE, PublicReason, ROUTE_ROLES } from '../public';
import { AuthError, Authenticator } from '../verifier';

export const AUTHENTICATOR = Symbol('AUTHENTICATOR');
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export type AuthenticatedRequest = Request & { principal?: Principal };

/**
 * The one guard in front of every route (registered globally): lets @Public routes through, verifies the bearer token, then checks the route's @Roles. A route with
 * neither marker is refused, so a new controller cannot be open by omission.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
    @Inject(AUTH_CONFIG) private readonly config: Pick<AuthConfig, 'AUTH_PUBLIC_METRICS'>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    const targets = [context.getHandler(), context.getClass()];
    const reason = this.reflector.getAllAndOverride<PublicReason | undefined>(PUBLIC_ROUTE, targets);
    if (reason === 'always' || (reason === 'metrics' && this.config.AUTH_PUBLIC_METRICS)) return true;
    const roles =
      reason === 'metrics'
        ? ['admin']
        : this.reflector.getAllAndOverride<Role[] | undefined>(ROUTE_ROLES, targets);
    try {
      request.principal = await this.authenticator.authenticate(request.headers.authorization);
      if (!roles?.includes(request.principal.role)) {
        throw new AuthError(403, 'FORBIDDEN', `role ${request.principal.role} may not call this route`);
      }
      return true;
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      if (error.status === 401) {
        const code =
          error.code === 'UNAUTHENTICATED'
            ? ''
            : `, error="invalid_token", error_description="${error.message.replace(/"/g, "'")}"`;
        response.setHeader('WWW-Authenticate', `Bearer realm="ledger"${code}`);
      }
      throw new HttpException(
        problem(error.status, { code: error.code, detail: error.message }),
        error.status,
      );
    }
  }
}
