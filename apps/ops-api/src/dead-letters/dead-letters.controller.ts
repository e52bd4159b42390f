import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@ledger/auth';
import type { AvroEventCodec } from '@ledger/messaging';
import {
  discard,
  getDeadLetter,
  listDeadLetters,
  redrive,
  type DeadLetterSelector,
} from '@ledger/projections';
import type { Pool } from 'pg';
import { EVENT_CODEC, LazyProducer, OPS_POOL, PRODUCER } from '../shared/connections.module';
import { OpsError } from '../shared/ops-error';
import {
  DeadLetterDetail,
  DeadLetterIdParam,
  DeadLetterList,
  DeadLetterSelection,
  DiscardResult,
  ListDeadLettersQuery,
  ProjectionParam,
  RedriveResult,
} from './dead-letter-dtos';
import { detailOf, summaryOf } from './views';

function selectorOf(selection: DeadLetterSelection): DeadLetterSelector {
  if (selection.streamId !== undefined && selection.all)
    throw new OpsError(400, 'AMBIGUOUS_SELECTION', 'give either streamId or all, not both');
  if (selection.streamId !== undefined) return { key: selection.streamId };
  if (selection.all) return { all: true };
  throw new OpsError(400, 'NO_SELECTION', 'say which dead letters: streamId, or all: true');
}

/**
 * A projection's dead letters for operators, over the same library operations as `ops-cli dlq`: list,
 * show (the event decoded), redrive and discard. Admins only.
 */
@ApiTags('operations')
@Controller('operations/dead-letters')
export class DeadLettersController {
  constructor(
    @Inject(OPS_POOL) private readonly pool: Pool,
    @Inject(PRODUCER) private readonly producer: LazyProducer,
    @Inject(EVENT_CODEC) private readonly codec: AvroEventCodec,
  ) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: "A projection's dead letters in the order they died" })
  @ApiOkResponse({ type: DeadLetterList })
  async list(@Query() query: ListDeadLettersQuery): Promise<DeadLetterList> {
    const letters = await listDeadLetters(this.pool, query.projection, {
      streamId: query.stream,
      status: query.status ?? 'dead',
      limit: query.limit ?? 100,
    });
    return { items: letters.map(summaryOf) };
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'One dead letter with its failure headers and the event decoded from Avro' })
  @ApiOkResponse({ type: DeadLetterDetail })
  async show(
    @Param() { id }: DeadLetterIdParam,
    @Query() { projection }: ProjectionParam,
  ): Promise<DeadLetterDetail> {
    const letter = await getDeadLetter(this.pool, projection, id);
    if (!letter) throw new OpsError(404, 'DEAD_LETTER_NOT_FOUND', `no dead letter ${id} in ${projection}`);
    return detailOf(letter, this.codec);
  }

  @Post('redrive')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Send the dead-lettered head of a stream (or of all) back through the first retry topic',
  })
  @ApiOkResponse({ type: RedriveResult })
  async redrive(@Body() selection: DeadLetterSelection): Promise<RedriveResult> {
    const selector = selectorOf(selection);
    const result = await redrive(
      { pool: this.pool, producer: await this.producer.get() },
      selection.projection,
      selector,
    );
    return this.found(selection, result);
  }

  @Post('discard')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary: 'Drop the dead-lettered head of a stream (or of all) and release what waits behind it',
  })
  @ApiOkResponse({ type: DiscardResult })
  async discard(@Body() selection: DeadLetterSelection): Promise<DiscardResult> {
    const selector = selectorOf(selection);
    const result = await discard(
      { pool: this.pool, producer: await this.producer.get() },
      selection.projection,
      selector,
    );
    return this.found(selection, result);
  }

  // One named stream with no dead letter is a mistake worth a 404; `all` with none is simply nothing to do.
  private found<T extends { streams: string[] }>(selection: DeadLetterSelection, result: T): T {
    if (selection.streamId !== undefined && result.streams.length === 0) {
      throw new OpsError(
        404,
        'NO_DEAD_LETTER',
        `stream ${selection.streamId} has no dead letter in ${selection.projection}`,
      );
    }
    return result;
  }
}
