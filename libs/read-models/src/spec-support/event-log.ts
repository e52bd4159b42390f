import { randomUUID } from 'node:crypto';
import { currentVersions, eventTopics } from '@ledger/contracts';
import { accountStreamId, transferStreamId } from '@ledger/domain';
import type { DecodedEvent } from '@ledger/projections';
import type { Fact } from './facts';

export interface EventLogOptions {
  /** Partitions per topic; a stream always maps to one. Default 3. */
  partitions?: number;
  /** Recorded time of the first event; each next one is a millisecond later. */
  firstRecordedAt?: string;
  /** Event and correlation ids; default random UUIDs. */
  newId?: () => string;
}

/**
 * Records facts as the event store and the relay would deliver them: each gets the next version of its
 * stream, the next global position, a fresh event id, a recorded time, and a topic, partition and offset.
 */
export class EventLog {
  private position = 0;
  private readonly versions = new Map<string, number>();
  private readonly offsets = new Map<string, number>();
  private readonly partitions: number;
  private readonly firstRecordedAt: number;
  private readonly newId: () => string;

  constructor(options: EventLogOptions = {}) {
    this.partitions = options.partitions ?? 3;
    this.firstRecordedAt = Date.parse(options.firstRecordedAt ?? '2025-01-01T00:00:00.000Z');
    this.newId = options.newId ?? randomUUID;
  }

  record(...facts: Fact[]): DecodedEvent[] {
    return facts.map((fact) => this.recordOne(fact));
  }

  private recordOne(fact: Fact): DecodedEvent {
    const streamId = streamOf(fact);
    const streamVersion = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, streamVersion);
    const topic = eventTopics[fact.type];
    const partition = partitionOf(streamId, this.partitions);
    const offset = this.offsets.get(`${topic}/${partition}`) ?? 0;
    this.offsets.set(`${topic}/${partition}`, offset + 1);
    this.position += 1;
    return {
      streamId,
      streamVersion,
      eventId: this.newId(),
      type: fact.type,
      schemaVersion: currentVersions[fact.type],
      globalPosition: this.position,
      recordedAt: new Date(this.firstRecordedAt + this.position).toISOString(),
      correlationId: this.newId(),
      data: fact.data,
      topic,
      partition,
      offset: String(offset),
    };
  }
}

const streamOf = (fact: Fact): string =>
  'accountId' in fact.data ? accountStreamId(fact.data.accountId) : transferStreamId(fact.data.transferId);

function partitionOf(streamId: string, partitions: number): number {
  let hash = 0;
  for (const char of streamId) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return Math.abs(hash) % partitions;
}
