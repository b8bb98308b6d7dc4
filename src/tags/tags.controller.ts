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
import { CreateTagDto, TagFiltersDto, UpdateTagDto } from './dto/tag.dto';
import { TagResponse } from './dto/tag.response';
import { TagsService, toTagResponse } from './tags.service';

@ApiTags('Tags')
@Controller('v1/tags')
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  @Get()
  @Scopes('read:tags')
  @ApiOperation({ summary: 'List tags' })
  @ApiPageResponse(TagResponse)
  @ApiErrorResponses(422)
  async listTags(
    @WorkspaceId() ws: number,
    @Query() q: TagFiltersDto,
    @RequestUrl() url: URL,
  ): Promise<PaginatedResponse<TagResponse>> {
    return paginated(await this.tags.list(ws, q), q, url, toTagResponse);
  }

  @Post()
  @Scopes('write:tags')
  @ApiOperation({ summary: 'Create a tag' })
  @ApiCreateResponses(TagResponse)
  async createTag(@WorkspaceId() ws: number, @Body() dto: CreateTagDto): Promise<{ data: TagResponse }> {
    return { data: toTagResponse(await this.tags.create(ws, dto)) };
  }

  @Get(':id')
  @Scopes('read:tags')
  @ApiOperation({ summary: 'Get a tag' })
  @ApiShowResponses(TagResponse)
  async getTag(@WorkspaceId() ws: number, @IdParam() id: number): Promise<{ data: TagResponse }> {
    return { data: toTagResponse(await this.tags.get(ws, id)) };
  }

  @Put(':id')
  @Scopes('write:tags')
  @ApiOperation({
    summary: 'Update a tag',
    description: 'Partial update, like PATCH. Renaming renames the tag on every lead.',
  })
  @ApiUpdateResponses(TagResponse)
  async replaceTag(
    @WorkspaceId() ws: number,
    @IdParam() id: number,
    @Body() dto: UpdateTagDto,
  ): Promise<{ data: TagResponse }> {
    return { data: toTagResponse(await this.tags.update(ws, id, dto)) };
  }

  @Patch(':id')
  @Scopes('write:tags')
  @ApiOperation({ summary: 'Update a tag (partial)', description: 'Renaming renames the tag on every lead.' })
  @ApiUpdateResponses(TagResponse)
  async updateTag(
    @WorkspaceId() ws: number,
    @IdParam() id: number,
    @Body() dto: UpdateTagDto,
  ): Promise<{ data: TagResponse }> {
    return { data: toTagResponse(await this.tags.update(ws, id, dto)) };
  }

  @Delete(':id')
  @HttpCode(204)
  @Scopes('write:tags')
  @ApiOperation({ summary: 'Delete a tag', description: 'Removes the tag from every lead.' })
  @ApiDeleteResponses()
  async deleteTag(@WorkspaceId() ws: number, @IdParam() id: number): Promise<void> {
    await this.tags.remove(ws, id);
  }
}
