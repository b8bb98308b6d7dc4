import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { ApiErrorResponses } from '../../common/docs/api-responses';
import { ApiException } from '../../common/errors/api.exception';
import {
  FacebookWebhookAck,
  FacebookWebhookBody,
  GoogleLeadBody,
  ReceivedLeadResponse,
} from './dto/receiver.dto';
import { FacebookLeadsWorker } from './facebook-leads.worker';
import { GOOGLE_FIELDS, mapAnswers } from './lead-mapping';
import { rawBodyOf } from './raw-body';
import { facebookSignatureValid, googleLead, leadgenChanges } from './receiver-payloads';
import { ReceiptsService, sameSecret } from './receipts.service';

const TOKEN = {
  name: 'receiver_id',
  description:
    "The receiver's id: the last part of the integration's `receiver_url`, 64 unguessable hex characters (whoever knows it can post to the receiver, so it is shared only with Meta or Google; the signature or key still has to match).",
  example: '3f9a8c1e0b7d4f2a9c6e5b1d8a7f3e2c4b9d0a1f6e8c7b5a2d3e4f5a6b7c8d9e',
};

/**
 * Public receivers of outside services (no API key: the unguessable token in the URL names the integration,
 * and each service's own signature or key authenticates the call). An unknown token or an inactive
 * integration is a 404; a bad signature or key a 403; nothing is stored for either.
 */
@ApiTags('Integration receivers')
@Public()
@SkipThrottle()
@Controller('v1/receivers')
export class ReceiversController {
  constructor(
    private readonly receipts: ReceiptsService,
    private readonly facebookLeads: FacebookLeadsWorker,
  ) {}

  @Get('facebook/:receiver_id')
  @ApiOperation({
    summary: "Answer Meta's webhook verification",
    description:
      'Meta calls this once when the webhook is set up (Webhooks → Page → subscribe to `leadgen`): with ' +
      '`hub.mode=subscribe` and the verify token of the integration, the answer is `hub.challenge`, as text.',
  })
  @ApiParam(TOKEN)
  @ApiQuery({ name: 'hub.mode', example: 'subscribe' })
  @ApiQuery({ name: 'hub.verify_token', example: 'my-verify-token' })
  @ApiQuery({ name: 'hub.challenge', example: '1158201444' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The challenge, echoed.', schema: { type: 'string', example: '1158201444' } })
  @ApiErrorResponses(403, 404, 503)
  async verifyFacebookWebhook(
    @Param('receiver_id') token: string,
    @Query('hub.mode') mode: unknown,
    @Query('hub.verify_token') verifyToken: unknown,
    @Query('hub.challenge') challenge: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { config } = await this.receipts.byToken('facebook_lead_ads', token);
    if (
      mode !== 'subscribe' ||
      typeof verifyToken !== 'string' ||
      !sameSecret(verifyToken, String(config.verify_token))
    )
      throw new ApiException(
        'FORBIDDEN',
        'The hub.mode or hub.verify_token does not match this integration.',
      );
    if (typeof challenge !== 'string' || !/^[A-Za-z0-9_.-]{1,256}$/.test(challenge))
      throw ApiException.field(
        'hub.challenge',
        'The hub.challenge field must be 1 to 256 letters or digits.',
      );
    reply.header('Content-Type', 'text/plain; charset=utf-8');
    return challenge;
  }

  @Post('facebook/:receiver_id')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Receive Facebook Lead Ads notifications',
    description:
      "Meta's `leadgen` webhook. The `X-Hub-Signature-256` header (HMAC-SHA256 of the raw body with the " +
      "integration's app secret) is checked in constant time; each leadgen id of the integration's page is " +
      'queued and acknowledged at once, then fetched from the Graph API (`GET /{leadgen_id}` with the page ' +
      'token, retried with backoff while the Graph API fails) and created or de-duplicated as a lead with ' +
      'source `facebook`. A leadgen id received again creates nothing.',
  })
  @ApiParam(TOKEN)
  @ApiBody({ type: FacebookWebhookBody })
  @ApiOkResponse({ type: FacebookWebhookAck, description: 'Acknowledged.' })
  @ApiErrorResponses(400, 403, 404, 413, 415, 422, 503)
  async receiveFacebookLeads(
    @Param('receiver_id') token: string,
    @Headers('x-hub-signature-256') signature: unknown,
    @Body() body: unknown,
    @Req() req: unknown,
  ): Promise<FacebookWebhookAck> {
    const { integration, config } = await this.receipts.byToken('facebook_lead_ads', token);
    if (!facebookSignatureValid(rawBodyOf(req), signature, String(config.app_secret)))
      throw new ApiException('FORBIDDEN', 'The X-Hub-Signature-256 header does not match the body.');
    const changes = leadgenChanges(body, String(config.page_id));
    const queued = await this.receipts.queue(
      integration,
      'facebook_lead',
      changes.map((c) => ({ id: c.leadgen_id, payload: c })),
    );
    if (queued) this.facebookLeads.wake();
    return { queued };
  }

  @Post('google-ads/:receiver_id')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Receive a Google Ads lead form lead',
    description:
      "Google Ads' lead form webhook. `google_key` must equal the integration's webhook key (checked in " +
      'constant time). Standard columns (FULL_NAME, FIRST_NAME, LAST_NAME, EMAIL, WORK_EMAIL, PHONE_NUMBER, ' +
      'WORK_PHONE, COMPANY_NAME) fill the lead; other answers go to `custom_fields` (by column id, or column ' +
      "name for custom questions), after the integration's `field_mapping`. Source `google_ads`; `is_test` " +
      'leads are tagged `test`; `gcl_id` is kept as custom field `gcl_id`. The same lead_id twice creates ' +
      'one lead.',
  })
  @ApiParam(TOKEN)
  @ApiBody({ type: GoogleLeadBody })
  @ApiOkResponse({ type: ReceivedLeadResponse, description: 'Taken in.' })
  @ApiErrorResponses(400, 403, 404, 413, 415, 422, 503)
  async receiveGoogleAdsLead(
    @Param('receiver_id') token: string,
    @Body() body: unknown,
  ): Promise<ReceivedLeadResponse> {
    const { integration, config } = await this.receipts.byToken('google_ads', token);
    const lead = googleLead(body, String(config.webhook_key));
    const input = mapAnswers(lead.answers, GOOGLE_FIELDS, {
      source: 'google_ads',
      mapping: config.field_mapping as Record<string, string> | undefined,
      tags: config.tags as string[] | undefined,
      extraTags: lead.isTest ? ['test'] : [],
    });
    if (lead.gclId) input.custom_fields = { gcl_id: lead.gclId, ...input.custom_fields };
    return this.receipts.receive(integration, 'google_ads_lead', lead.leadId, lead.meta, input);
  }
}
