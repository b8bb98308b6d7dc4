import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes, WorkspaceId } from '../common/auth/auth.decorators';
import { IdParam } from '../common/crud/id.pipe';
import {
  ApiCreateResponses,
  ApiDeleteResponses,
  ApiErrorResponses,
  ApiPageResponse,
  ApiShowResponses,
  ApiUpdateResponses,
} from '../common/docs/api-responses';
import { paginated, PaginatedResponse } from '../common/pagination/paginated-response';
import { RequestUrl } from '../common/pagination/request-url.decorator';
import { CreateFormDto, FormFiltersDto, UpdateFormDto } from './dto/form.dto';
import { FormResponse } from './dto/form.response';
import { FormsService, toFormResponse } from './forms.service';

const RULES =
  'Fields and lead defaults are validated strictly; every problem is reported by its dotted path ' +
  '(`fields.2.options`, `lead_defaults.stage_id`). Some field must map to first_name or email.';
const UPDATE_NOTE =
  '`fields` or `lead_defaults`, when sent, replace the stored ones as a whole (omitted defaults fall back to ' +
  'source "form" and nothing else). `submissions_count` is read-only.';

@ApiTags('Forms')
@Controller('v1/forms')
export class FormsController {
  constructor(private readonly forms: FormsService) {}

  @Get()
  @Scopes('read:forms')
  @ApiOperation({ summary: 'List forms' })
  @ApiPageResponse(FormResponse)
  @ApiErrorResponses(422)
  async listForms(
    @WorkspaceId() ws: number,
    @Query() q: FormFiltersDto,
    @RequestUrl() url: URL,
  ): Promise<PaginatedResponse<FormResponse>> {
    return paginated(await this.forms.list(ws, q), q, url, toFormResponse);
  }

  @Post()
  @Scopes('write:forms')
  @ApiOperation({ summary: 'Create a form', description: RULES })
  @ApiCreateResponses(FormResponse)
  async createForm(@WorkspaceId() ws: number, @Body() dto: CreateFormDto): Promise<{ data: FormResponse }> {
    return { data: toFormResponse(await this.forms.create(ws, dto)) };
  }

  @Get(':id')
  @Scopes('read:forms')
  @ApiOperation({ summary: 'Get a form' })
  @ApiShowResponses(FormResponse)
  async getForm(@WorkspaceId() ws: number, @IdParam() id: number): Promise<{ data: FormResponse }> {
    return { data: toFormResponse(await this.forms.get(ws, id)) };
  }

  @Put(':id')
  @Scopes('write:forms')
  @ApiOperation({
    summary: 'Update a form',
    description: `Partial update, like PATCH. ${UPDATE_NOTE} ${RULES}`,
  })
  @ApiUpdateResponses(FormResponse)
  async replaceForm(
    @WorkspaceId() ws: number,
    @IdParam() id: number,
    @Body() dto: UpdateFormDto,
  ): Promise<{ data: FormResponse }> {
    return { data: toFormResponse(await this.forms.update(ws, id, dto)) };
  }

  @Patch(':id')
  @Scopes('write:forms')
  @ApiOperation({ summary: 'Update a form (partial)', description: `${UPDATE_NOTE} ${RULES}` })
  @ApiUpdateResponses(FormResponse)
  async updateForm(
    @WorkspaceId() ws: number,
    @IdParam() id: number,
    @Body() dto: UpdateFormDto,
  ): Promise<{ data: FormResponse }> {
    return { data: toFormResponse(await this.forms.update(ws, id, dto)) };
  }

  @Delete(':id')
  @HttpCode(204)
  @Scopes('delete:forms')
  @ApiOperation({
    summary: 'Delete a form',
    description: 'Deletes the form and its submissions; the leads it created are kept.',
  })
  @ApiDeleteResponses()
  async deleteForm(@WorkspaceId() ws: number, @IdParam() id: number): Promise<void> {
    await this.forms.remove(ws, id);
  }
}
