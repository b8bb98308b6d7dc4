import { Injectable } from '@nestjs/common';
import { ApiException } from '../common/errors/api.exception';
import type { Page } from '../common/pagination/paginated-response';
import { isoTimestamp } from '../common/time';
import { CreateTagDto, TagFiltersDto, UpdateTagDto } from './dto/tag.dto';
import { TagResponse } from './dto/tag.response';
import type { Tag } from './tag.entity';
import { type TagRow, TagsRepository } from './tags.repository';
import { found } from '../common/crud/found';

@Injectable()
export class TagsService {
  constructor(private readonly tags: TagsRepository) {}

  list(workspaceId: number, q: TagFiltersDto): Promise<Page<TagRow>> {
    return this.tags.list(workspaceId, q);
  }

  async get(workspaceId: number, id: number): Promise<TagRow> {
    return this.withCount(await this.find(workspaceId, id));
  }

  async create(workspaceId: number, dto: CreateTagDto): Promise<TagRow> {
    const tag = await this.tags.create({ workspaceId, name: dto.name, color: dto.color ?? null });
    return { ...tag, leadsCount: 0 };
  }

  async update(workspaceId: number, id: number, dto: UpdateTagDto): Promise<TagRow> {
    const tag = await this.find(workspaceId, id);
    if (dto.name !== undefined) tag.name = dto.name;
    if (dto.color !== undefined) tag.color = dto.color;
    await this.tags.save(tag);
    return this.withCount(tag);
  }

  /** Removes the tag from every lead too (lead_tags cascade). */
  async remove(workspaceId: number, id: number): Promise<void> {
    if (!(await this.tags.delete(workspaceId, id))) throw ApiException.notFound('tag');
  }

  private async find(workspaceId: number, id: number): Promise<Tag> {
    return found(await this.tags.findInWorkspace(workspaceId, id), 'tag');
  }

  private async withCount(tag: Tag): Promise<TagRow> {
    return { ...tag, leadsCount: await this.tags.leadsCount(tag.id) };
  }
}

export type { TagRow };

export function toTagResponse(t: TagRow): TagResponse {
  return {
    id: t.id,
    name: t.name,
    color: t.color,
    leads_count: t.leadsCount,
    created_at: isoTimestamp(t.createdAt),
    updated_at: isoTimestamp(t.updatedAt),
  };
}
