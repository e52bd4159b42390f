import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '@ledger/auth';
import { OPS_API_CONFIG, OpsApiConfig } from '../config';

class ConsoleSettings {
  @ApiProperty() queryApiUrl!: string;
  @ApiProperty() commandApiUrl!: string;
  @ApiProperty({ type: 'integer' }) pollIntervalMs!: number;
}

/** Where the console's browser finds the APIs: addresses only, no data, so public like the page itself. */
@ApiTags('console')
@Controller('console')
export class ConsoleController {
  constructor(@Inject(OPS_API_CONFIG) private readonly config: OpsApiConfig) {}

  @Get('settings.json')
  @Public()
  @ApiOkResponse({ type: ConsoleSettings })
  settings(): ConsoleSettings {
    return {
      queryApiUrl: this.config.CONSOLE_QUERY_API_URL,
      commandApiUrl: this.config.CONSOLE_COMMAND_API_URL,
      pollIntervalMs: this.config.CONSOLE_POLL_INTERVAL_MS,
    };
  }
}
