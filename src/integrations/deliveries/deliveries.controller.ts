import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { Scopes, WorkspaceId } from '../../common/auth/auth.decorators';
import { IdPipe } from '../../common/crud/id.pipe';
import { UuidPipe } from '../../common/crud/uuid.pipe';
import { ApiDataResponse, ApiPageResponse, ApiRecordErrors } from '../../common/docs/api-responses';
import { paginated, PaginatedResponse } from '../../common/pagination/paginated-response';
import { RequestUrl } from '../../common/pagination/request-url.decorator';
import { DeliveriesService } from './deliveries.service';
import { DeliveryFiltersDto, DeliveryResponse } from './dto/delivery.response';

@ApiTags('Integrations')
@Controller('v1')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get('integrations/:id/deliveries')
  @Scopes('read:integrations')
  @ApiOperation({
    summary: 'List the deliveries of an integration',
    description:
      'Newest first: outbound attempt series (webhook subscription events, Mailgun e-mails, Slack messages) ' +
      'with their status, attempts, last answer and next attempt, and inbound receipts (Facebook and Google ' +
      'Ads leads) with the lead they created or matched.',
  })
  @ApiPageResponse(DeliveryResponse)
  @ApiRecordErrors()
  async listIntegrationDeliveries(
    @WorkspaceId() ws: number,
    @Param('id', IdPipe) id: number,
    @Query() q: DeliveryFiltersDto,
    @RequestUrl() url: URL,
  ): Promise<PaginatedResponse<DeliveryResponse>> {
    return paginated(await this.deliveries.listForIntegration(ws, id, q), q, url, this.deliveries.toResponse);
  }

  @Post('deliveries/:id/retry')
  @HttpCode(200)
  @Scopes('write:integrations')
  @ApiOperation({
    summary: 'Retry a failed delivery',
    description:
      'Re-queues a `failed` (or `cancelled`) delivery or Facebook receipt: a new series of attempts starts at ' +
      'once, on the same retry schedule. The delivery keeps its id (X-LeadHub-Delivery), so receivers can ' +
      'still de-duplicate. Any other status is a 422.',
  })
  @ApiParam({ name: 'id', format: 'uuid', example: '0b9e3c1a-5d2f-4e8b-9a7c-6f1d2e3b4a5c' })
  @ApiDataResponse(DeliveryResponse, 200)
  @ApiRecordErrors()
  async retryDelivery(
    @WorkspaceId() ws: number,
    @Param('id', UuidPipe) id: string,
  ): Promise<{ data: DeliveryResponse }> {
    return { data: this.deliveries.toResponse(await this.deliveries.retry(ws, id)) };
  }
}
