import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { projectionStatus } from '@ledger/projections';
import { activeGroupOf, recentRebuilds } from '@ledger/read-models';
import { Roles } from '@ledger/auth';
import type { Response } from 'express';
import { Admin, KafkaJSError } from 'kafkajs';
import type { Pool } from 'pg';
import { ConsistencyGate } from '../consistency/consistency-gate';
import { ConsistencyQuery } from '../consistency/consistency-query';
import { FeedKey, PROJECTION_FEEDS, ProjectionFeeds } from '../consistency/feeds';
import { LogEndUnavailableError } from '../consistency/progress';
import { READ_MODEL_POOL } from '../shared/database';
import { KAFKA_ADMIN } from '../shared/kafka';
import { ConsistentRead } from '../shared/openapi';
import { projectionReport, ProjectionReport } from './projection-report';
import { rebuildReport, RebuildReport } from './rebuild-report';

const RECENT_REBUILDS = 10;

class ProjectionsReport {
  @ApiProperty({ type: [ProjectionReport] }) projections!: ProjectionReport[];
  @ApiProperty({ type: [RebuildReport], description: 'The latest rebuilds of the read models, newest first' })
  rebuilds!: RebuildReport[];
}

/** Where each projector stands against Kafka: offsets, lag in events and seconds, parked streams. */
@ApiTags('operations')
@Controller('projections')
export class ProjectionsController {
  constructor(
    @Inject(READ_MODEL_POOL) private readonly pool: Pool,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(PROJECTION_FEEDS) private readonly feeds: ProjectionFeeds,
    private readonly gate: ConsistencyGate,
  ) {}

  @Get()
  @Roles('admin')
  @ConsistentRead(ProjectionsReport, 'minPosition waits for every projection')
  async report(
    @Query() query: ConsistencyQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ProjectionsReport> {
    const keys = Object.keys(this.feeds) as FeedKey[];
    await this.gate.ensure(keys, query, response);
    const projections = await Promise.all(
      keys.map(async (key) => {
        const { name, topics } = this.feeds[key];
        // After a rebuild the read model is kept by the consumer group it swapped in (ADR 0020).
        const group = await activeGroupOf(this.pool, name);
        try {
          return projectionReport(
            topics,
            await projectionStatus({ pool: this.pool, admin: this.admin }, group, [...topics]),
          );
        } catch (error) {
          if (error instanceof KafkaJSError) throw new LogEndUnavailableError(topics.join(', '), error);
          throw error;
        }
      }),
    );
    const rebuilds = (await recentRebuilds(this.pool, RECENT_REBUILDS)).map(rebuildReport);
    return { projections, rebuilds };
  }
}
