import { DynamicModule, ExecutionContext, HttpException, Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import { problem } from './problem';

/**
 * Who a request counts against: its authenticated subject when there is one (the principal the
 * authentication guard, registered before this one, put on the request), its IP otherwise.
 */
export function throttleTracker(request: Request & { principal?: { subject?: unknown } }): string {
  const subject = request.principal?.subject;
  return typeof subject === 'string' && subject.length > 0
    ? `sub:${subject}`
    : `ip:${request.ip ?? 'unknown'}`;
}

// Probes and scrapes come from the platform, at its own pace.
const UNTHROTTLED = /^\/(?:health\/|metrics(?:$|\?))/;

@Injectable()
class ProblemThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    return Promise.resolve(throttleTracker(request as unknown as Request));
  }

  // One budget per client across every route, not one per route.
  protected override generateKey(_context: ExecutionContext, tracker: string, name: string): string {
    return `${name}:${tracker}`;
  }

  protected override throwThrottlingException(): Promise<void> {
    throw new HttpException(
      problem(429, {
        code: 'RATE_LIMITED',
        detail: 'too many requests; retry after the number of seconds in Retry-After',
      }),
      429,
    );
  }
}

/** Rate limiting per client (see throttleTracker) with 429 problem+json and Retry-After; limit 0 turns it off. */
@Module({})
export class HttpThrottlingModule {
  static forRoot(options: { limit: number; windowMs: number }): DynamicModule {
    if (options.limit === 0) return { module: HttpThrottlingModule };
    return {
      module: HttpThrottlingModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', limit: options.limit, ttl: options.windowMs }],
          skipIf: (context) => UNTHROTTLED.test(context.switchToHttp().getRequest<Request>().originalUrl),
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: ProblemThrottlerGuard }],
    };
  }
}
