import { ApiProperty } from '@nestjs/swagger';
import type { RebuildRecord } from '@ledger/read-models';

/** A rebuild of a read model into a new version (ops-cli projections rebuild, ADR 0020). */
export class RebuildReport {
  @ApiProperty({ enum: ['accounts', 'transfers'] }) readModel!: string;
  @ApiProperty({ type: 'integer', description: 'The version being built (or built)' }) version!: number;
  @ApiProperty({ type: 'integer', description: 'The version it replaces' }) previousVersion!: number;
  @ApiProperty({ description: 'Consumer group of the new version' }) group!: string;
  @ApiProperty({ enum: ['fast', 'incremental'] }) mode!: string;
  @ApiProperty({
    enum: ['building', 'swapping', 'swapped', 'failed'],
    description: 'swapping: the live projector is paused while the new version catches up with it',
  })
  state!: string;
  @ApiProperty({ type: 'integer', description: 'Records of the topics the new version has processed' })
  eventsApplied!: number;
  @ApiProperty({ type: 'integer', description: 'Records the topics held at the last measurement' })
  eventsTotal!: number;
  @ApiProperty({ type: 'integer', nullable: true }) lagEvents!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'Records per second since the build began' })
  ratePerSecond!: number | null;
  @ApiProperty({ type: Number, nullable: true }) etaSeconds!: number | null;
  @ApiProperty({ type: String, nullable: true }) message!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'Last progress recorded' })
  updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) swappedAt!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the previous version is dropped; null when kept (--keep)',
  })
  dropAfter!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) previousDroppedAt!: string | null;
}

export const rebuildReport = (record: RebuildRecord): RebuildReport => ({
  readModel: record.readModel,
  version: record.version,
  previousVersion: record.previousVersion,
  group: record.group,
  mode: record.mode,
  state: record.state,
  eventsApplied: record.eventsApplied,
  eventsTotal: record.eventsTotal,
  lagEvents: record.lagEvents,
  ratePerSecond: record.ratePerSecond,
  etaSeconds: record.etaSeconds,
  message: record.message,
  startedAt: record.startedAt,
  updatedAt: record.updatedAt,
  swappedAt: record.swappedAt,
  dropAfter: record.keepPrevious ? null : record.dropAfter,
  previousDroppedAt: record.previousDroppedAt,
});
