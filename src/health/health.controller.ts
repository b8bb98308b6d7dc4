import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { APP_VERSION } from '../common/app-version';
import { Public } from '../common/auth/auth.decorators';
import { isoTimestamp } from '../common/time';
import { HealthResponse, ReadinessResponse } from './dto/health.response';
import { ReadinessService } from './readiness.service';

@ApiTags('Health')
@Public()
@SkipThrottle()
@Controller('v1/health')
export class HealthController {
  constructor(private readonly readiness: ReadinessService) {}

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
    description:
      'No API key needed. Checks that the database answers (503 when it does not) and reports Redis, when ' +
      'configured, and the automation worker backlog. Results are reused for about a second.',
  })
  @ApiOkResponse({ type: ReadinessResponse, description: 'Ready (`status` is `ok` or `degraded`).' })
  @ApiServiceUnavailableResponse({
    type: ReadinessResponse,
    description: 'The database does not answer.',
    example: {
      status: 'unavailable',
      database: 'unavailable',
      redis: 'ok',
      backlog: null,
      checked_at: '2026-03-28T09:15:00+00:00',
    },
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessResponse> {
    const result = await this.readiness.check();
    if (result.status === 'unavailable') reply.status(503);
    return result;
  }
}
