import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_VERSION } from '../common/app-version';
import { Public } from '../common/auth/auth.decorators';
import { ApiErrorResponses } from '../common/docs/api-responses';
import { ApiException } from '../common/errors/api.exception';
import { isoTimestamp } from '../common/time';
import { HealthResponse, ReadinessResponse } from './dto/health.response';

@ApiTags('Health')
@Public()
@SkipThrottle()
@Controller('v1/health')
export class HealthController {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  @Get()
  @ApiOperation({
    summary: 'Health check',
    description: 'No API key needed. Answers when the process is up.',
  })
  @ApiOkResponse({ type: HealthResponse })
  health(): HealthResponse {
    return { status: 'ok', version: APP_VERSION, timestamp: isoTimestamp(new Date()) };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness check',
    description: 'No API key needed. Checks that the database answers.',
  })
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiErrorResponses(503)
  async ready(): Promise<ReadinessResponse> {
    try {
      await this.db.query('SELECT 1');
    } catch {
      throw new ApiException('SERVICE_UNAVAILABLE', 'The database is not reachable.');
    }
    return { status: 'ok', database: 'ok' };
  }
}
