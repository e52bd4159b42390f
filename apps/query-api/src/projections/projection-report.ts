import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { PartitionStatus, ProjectionStatus } from '@ledger/projections';

export class PartitionReport {
  @ApiProperty() topic!: string;
  @ApiProperty({ type: 'integer' }) partition!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Next offset of the consumer group in Kafka' })
  committedOffset!: number | null;
  @ApiProperty({
    type: 'integer',
    nullable: true,
    description: 'Last offset processed, as recorded with the read model',
  })
  appliedOffset!: number | null;
  @ApiProperty({ type: 'integer', description: 'Offset the next record will get' }) logEndOffset!: number;
  @ApiProperty({
    type: 'integer',
    description:
      'Records the projector has yet to read: from the lower of the committed offset and the one after the last applied',
  })
  lagEvents!: number;
  @ApiProperty({
    type: 'integer',
    description:
      'Of lagEvents, records already applied that the group will read again (after a reset); they are skipped',
  })
  rereadEvents!: number;
  @ApiProperty({ type: 'integer', nullable: true }) globalPosition!: number | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Recorded-at of the last applied event',
  })
  lastAppliedRecordedAt!: string | null;
  @ApiPropertyOptional({
    description: 'Age of the last applied event while unapplied records wait; 0 when none wait',
  })
  lagSeconds?: number;
}

class ParkedCounts {
  @ApiProperty({ type: 'integer', description: 'Streams whose failed event is being retried' })
  retrying!: number;
  @ApiProperty({ type: 'integer', description: 'Streams whose failed event is dead-lettered' })
  deadLettered!: number;
  @ApiProperty({ type: 'integer', description: 'Events waiting in those streams, failed ones included' })
  events!: number;
}

class GroupMemberReport {
  @ApiProperty() memberId!: string;
  @ApiProperty({ description: 'Client id of the consumer (app and instance)' }) clientId!: string;
  @ApiProperty() clientHost!: string;
}

class ConsumerGroupReport {
  @ApiProperty({
    description: "Kafka's group state: Stable, PreparingRebalance, CompletingRebalance, Empty, Dead",
  })
  state!: string;
  @ApiProperty({ type: [GroupMemberReport], description: 'Empty: no projector is consuming' })
  members!: GroupMemberReport[];
}

export class ProjectionReport {
  @ApiProperty({ example: 'ledger.projector.accounts' }) name!: string;
  @ApiProperty({ type: [String] }) topics!: string[];
  @ApiProperty({
    enum: ['caught-up', 'catching-up', 'not-started', 'needs-attention'],
    description: 'needs-attention: dead-lettered streams wait for an operator (redrive or discard)',
  })
  status!: string;
  @ApiProperty({ type: 'integer' }) lagEvents!: number;
  @ApiProperty({ type: ParkedCounts }) parked!: ParkedCounts;
  @ApiProperty({ type: ConsumerGroupReport }) group!: ConsumerGroupReport;
  @ApiProperty({ type: [PartitionReport] }) partitions!: PartitionReport[];
}

const offset = (value: string | null) => (value === null ? null : Number(value));

// Lag counts what the group will still read, applied or not (see partitionLag): caught-up means the
// read model has everything and the group will not read anything again.
function partitionReport(status: PartitionStatus): PartitionReport {
  const lagSeconds = status.lagSeconds;
  return {
    topic: status.topic,
    partition: status.partition,
    committedOffset: offset(status.committedOffset),
    appliedOffset: offset(status.processedOffset),
    logEndOffset: Number(status.highWatermark),
    lagEvents: status.lagEvents,
    rereadEvents: status.rereadEvents,
    globalPosition: status.globalPosition,
    lastAppliedRecordedAt: status.lastRecordedAt?.toISOString() ?? null,
    ...(lagSeconds === null ? {} : { lagSeconds }),
  };
}

export function projectionReport(topics: readonly string[], status: ProjectionStatus): ProjectionReport {
  const partitions = status.partitions.map(partitionReport);
  const lagEvents = partitions.reduce((sum, partition) => sum + partition.lagEvents, 0);
  const started = partitions.some(
    (partition) => partition.appliedOffset !== null || partition.committedOffset !== null,
  );
  const progress = lagEvents === 0 ? 'caught-up' : started ? 'catching-up' : 'not-started';
  return {
    name: status.projection,
    topics: [...topics],
    status: status.parked.deadLettered > 0 ? 'needs-attention' : progress,
    lagEvents,
    parked: status.parked,
    group: status.group,
    partitions,
  };
}
