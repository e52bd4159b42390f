import { Controller, Get, Header, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@ledger/auth';
import type { Response } from 'express';
import type { Registry } from 'prom-client';
import { HealthCheck, runHealthChecks } from '../health';

export const HEALTH_CHECKS = Symbol('HEALTH_CHECKS');
export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

@ApiExcludeController()
@Controller()
export class ObservabilityController {
  constructor(
    @Inject(HEALTH_CHECKS) private readonly checks: HealthCheck[],
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  /** Liveness: the event loop answers. Dependencies are readiness, so a broker outage never restarts pods. */
  @Public()
  @Get('health/live')
  live() {
    return { status: 'ok' };
  }

  /** Readiness: 503 only when the app cannot do its job now; a degraded dependency is reported with 200. */
  @Public()
  @Get('health/ready')
  async ready(@Res() response: Response) {
    const report = await runHealthChecks(this.checks);
    response.status(report.status !== 'error' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(report);
  }

  @Public('metrics')
  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async metrics(@Res() response: Response) {
    response.type(this.registry.contentType).send(await this.registry.metrics());
  }
}
