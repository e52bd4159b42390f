import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AuthConfig } from '../config';
import { Authenticator, JwtAuthenticator } from '../verifier';
import { AUTH_CONFIG, AuthGuard, AUTHENTICATOR } from './auth.guard';

export interface AuthModuleOptions {
  /**
   * Replaces token verification (benchmarks measure its cost against a fixed principal). Applications
   * never pass it: they verify JWTs.
   */
  authenticator?: Authenticator;
}

/** Registers the AuthGuard for every route of the app. */
@Module({})
export class AuthModule {
  static forRoot(config: AuthConfig, options: AuthModuleOptions = {}): DynamicModule {
    // Built here, not lazily, so a bad key or an unsafe production setting stops the app at start.
    const authenticator = options.authenticator ?? new JwtAuthenticator(config);
    return {
      module: AuthModule,
      providers: [
        { provide: AUTHENTICATOR, useValue: authenticator },
        { provide: AUTH_CONFIG, useValue: config },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
