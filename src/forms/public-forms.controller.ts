import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../common/auth/auth.decorators';
import { ApiDataResponse, ApiErrorResponses } from '../common/docs/api-responses';
import { ApiException } from '../common/errors/api.exception';
import { CreatedLocation } from '../common/http/location.interceptor';
import { RATE_WINDOW_MS } from '../common/edge/request-gate';
import type { WindowRecord } from '../common/throttling/window-record';
import { FormSubmissionCreatedResponse } from './dto/form.response';
import { FormSubmissionsService } from './form-submissions.service';
import { AppConfig } from '../config/app-config';

/** The hidden input a person leaves empty and a bot fills: such a submission is acknowledged and dropped. */
export const HONEYPOT_FIELD = '_gotcha';
const PUBLIC_ID = /^[A-Za-z0-9_-]{1,64}$/;

@ApiTags('Forms')
@Public() // on the class: the document's `security: []` is taken from there
@Controller('forms/:public_id/submit')
export class PublicFormsController {
  constructor(
    private readonly submissions: FormSubmissionsService,
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @CreatedLocation((body) =>
    body.data
      ? `/api/v1/forms/${body.data.form_id as number}/submissions/${body.data.id as number}`
      : undefined,
  )
  @ApiOperation({
    summary: 'Submit a published form (no API key)',
    description:
      'For websites: a plain HTML `<form method="post" action=".../api/forms/{public_id}/submit">` posts here ' +
      'directly (`application/x-www-form-urlencoded`), or a script sends JSON (CORS is answered). No API key; ' +
      'the form must be published (`is_public`, else 404). The same validation, storage and lead de-duplication ' +
      'as the keyed submissions endpoint. An HTML post to a form with a `success_url` is redirected there (303). ' +
      `A submission that fills the hidden honeypot field \`${HONEYPOT_FIELD}\` is acknowledged (303 or 204) and ` +
      'dropped. Each client address may submit LEADHUB_PUBLIC_FORM_LIMIT times per hour (default 60; then 429).',
  })
  @ApiParam({
    name: 'public_id',
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', maxLength: 64 },
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({
    schema: {
      type: 'object',
      maxProperties: 200,
      additionalProperties: {
        oneOf: [
          { type: 'string', maxLength: 10000 },
          { type: 'boolean' },
          { type: 'number' },
          { type: 'null' },
        ],
      },
      example: { name: 'Sarah', email: 'sarah@example.com' },
    },
  })
  @ApiDataResponse(FormSubmissionCreatedResponse, 201)
  @ApiResponse({
    status: 303,
    description: "An HTML form post: the browser goes on to the form's success_url.",
    headers: {
      Location: {
        description: 'The success_url.',
        schema: { type: 'string', format: 'uri', maxLength: 2048 },
      },
    },
  })
  @ApiResponse({ status: 204, description: 'The honeypot field was filled: acknowledged, nothing stored.' })
  @ApiErrorResponses(404, 429, 503)
  async submitPublicForm(
    @Param('public_id') publicId: string,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<{ data: FormSubmissionCreatedResponse } | undefined> {
    if (!PUBLIC_ID.test(publicId)) throw ApiException.notFound('form');
    await this.countAddress(req, res);
    const form = await this.submissions.findPublic(publicId);
    const html = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
    const values = body && typeof body === 'object' && !Array.isArray(body) ? { ...(body as object) } : body;
    const trap =
      values && typeof values === 'object' ? (values as Record<string, unknown>)[HONEYPOT_FIELD] : undefined;
    if (values && typeof values === 'object') delete (values as Record<string, unknown>)[HONEYPOT_FIELD];
    const redirect = html && form.successUrl;
    if (trap !== undefined && trap !== null && trap !== '') {
      if (redirect) res.status(303).header('Location', form.successUrl!);
      else res.status(204);
      return undefined;
    }
    const data = await this.submissions.submit(form.workspaceId, form.id, values);
    if (redirect) {
      res.status(303).header('Location', form.successUrl!);
      return undefined;
    }
    return { data };
  }

  /** One hourly window per client address (behind a proxy, TRUST_PROXY decides what req.ip is). */
  private async countAddress(req: FastifyRequest, res: FastifyReply): Promise<void> {
    const limit = this.config.publicFormLimit; // LEADHUB_PUBLIC_FORM_LIMIT
    const rec = (await this.storage.increment(
      `public-form:${req.ip}`,
      RATE_WINDOW_MS,
      limit,
      0,
      'hourly',
    )) as WindowRecord;
    if (rec.isBlocked) {
      res.header('Retry-After', String(Math.max(1, Math.ceil((rec.resetAt - Date.now()) / 1000))));
      throw new ApiException('RATE_LIMITED', `This address may submit forms ${limit} times per hour.`);
    }
  }
}
