import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes, WorkspaceId } from '../common/auth/auth.decorators';
import { IdParam } from '../common/crud/id.pipe';
import {
  ApiBodyErrors,
  ApiDataResponse,
  ApiPageResponse,
  ApiRecordErrors,
} from '../common/docs/api-responses';
import { paginated, PaginatedResponse } from '../common/pagination/paginated-response';
import { PaginationQueryDto } from '../common/pagination/pagination-query.dto';
import { RequestUrl } from '../common/pagination/request-url.decorator';
import { FormSubmissionCreatedResponse, FormSubmissionResponse } from './dto/form.response';
import { FormSubmissionsService, toSubmissionResponse } from './form-submissions.service';

const SUBMIT =
  'The body holds the values by field name: strings (text, email, phone, textarea, select, hidden; trimmed, an ' +
  'empty string or null is no value) and booleans (checkbox). Validated against the form (422 by field name: ' +
  'required fields, email and phone formats, select options, lengths); an inactive form is a 422. Lenient like ' +
  'inbound leads: a number for a text field is text, "on"/"true"/"1" check a checkbox, and keys the form does ' +
  'not define are kept on the submission (at most 50, values up to 1000 characters), never on the lead. ' +
  'Then, in one transaction: the submission is stored and creates a lead or merges into the one it duplicates ' +
  '(same email, case-insensitive, or same phone digits), with the rules of inbound leads — a duplicate only ' +
  'gets its empty fields filled, tags and missing custom_fields keys added. Mapped fields fill their lead field, ' +
  "unmapped ones the lead's custom_fields under the field's name; the form's lead defaults apply (status, " +
  "pipeline, stage and owner to new leads only). Without a first name, the email's local part is used.";

@ApiTags('Forms')
@Controller('v1/forms/:id/submissions')
export class FormSubmissionsController {
  constructor(private readonly submissions: FormSubmissionsService) {}

  @Post()
  @Scopes('write:forms')
  @ApiOperation({ summary: 'Submit a form', description: SUBMIT })
  @ApiBody({
    schema: {
      type: 'object',
      additionalProperties: { oneOf: [{ type: 'string' }, { type: 'boolean' }, { type: 'null' }] },
      example: { name: 'Sarah', email: 'sarah@example.com', budget: '10k+', consent: true },
    },
  })
  @ApiDataResponse(FormSubmissionCreatedResponse, 201)
  @ApiRecordErrors()
  @ApiBodyErrors()
  async submitForm(
    @WorkspaceId() ws: number,
    @IdParam() id: number,
    @Body() body: Record<string, unknown>,
  ): Promise<{ data: FormSubmissionCreatedResponse }> {
    return { data: await this.submissions.submit(ws, id, body) };
  }

  @Get()
  @Scopes('read:forms')
  @ApiOperation({ summary: "List a form's submissions", description: 'Newest first.' })
  @ApiPageResponse(FormSubmissionResponse)
  @ApiRecordErrors()
  async listFormSubmissions(
    @WorkspaceId() ws: number,
    @IdParam() id: number,
    @Query() q: PaginationQueryDto,
    @RequestUrl() url: URL,
  ): Promise<PaginatedResponse<FormSubmissionResponse>> {
    return paginated(await this.submissions.list(ws, id, q), q, url, toSubmissionResponse);
  }

  @Get(':submission_id')
  @Scopes('read:forms')
  @ApiOperation({
    summary: 'Show a form submission',
    description: 'The values as submitted and the lead they went to.',
  })
  @ApiDataResponse(FormSubmissionResponse)
  @ApiRecordErrors()
  async showFormSubmission(
    @WorkspaceId() ws: number,
    @IdParam() id: number,
    @IdParam('submission_id') submissionId: number,
  ): Promise<{ data: FormSubmissionResponse }> {
    return { data: toSubmissionResponse(await this.submissions.show(ws, id, submissionId)) };
  }
}
