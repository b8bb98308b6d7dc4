import { Injectable } from '@nestjs/common';
import { updatedWindow } from '../common/crud/sync-window';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { uniquely } from '../common/crud/database-errors';
import { sqlDirection } from '../common/crud/sorting';
import { likePattern } from '../common/crud/like-pattern';
import { findInWorkspace } from '../common/crud/workspace-scope';
import { ApiException } from '../common/errors/api.exception';
import type { Page } from '../common/pagination/paginated-response';
import { isoTimestamp } from '../common/time';
import { CreateTagDto, TagFiltersDto, UpdateTagDto } from './dto/tag.dto';
import { TagResponse } from './dto/tag.response';
import { Tag } from './tag.entity';

const UNIQUE = { UQ_tags_workspace_name: 'name' };
const SORT_COLUMNS = {
  name: 'lower(t.name)',
  created_at: 't.created_at',
  updated_at: 't.updated_at',
  leads_count: 'leads_count',
} as const;

type TagRow = Tag & { leadsCount: number };

@Injectable()
export class TagsService {
  constructor(@InjectRepository(Tag) private readonly tags: Repository<Tag>) {}

  async list(workspaceId: number, q: TagFiltersDto): Promise<Page<TagRow>> {
    const params: unknown[] = [workspaceId];
    let where = 't.workspace_id = $1';
    if (q.search) {
      params.push(likePattern(q.search));
      where += ` AND t.name ILIKE $${params.length}`;
    }
    for (const cond of updatedWindow('t.updated_at', q, (v) => `$${params.push(v)}`)) where += ` AND ${cond}`;
    const dir = sqlDirection(q.direction);
    const [{ total }] = await this.tags.query(
      `SELECT count(*)::int AS total FROM tags t WHERE ${where}`,
      params,
    );
    const rows = await this.tags.query(
      `SELECT t.*, (SELECT count(*)::int FROM lead_tags lt WHERE lt.tag_id = t.id) AS leads_count
         FROM tags t WHERE ${where}
        ORDER BY ${SORT_COLUMNS[q.sort]} ${dir}, t.id ${dir}
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, q.per_page, (q.page - 1) * q.per_page],
    );
    return { items: rows.map(fromRow), total };
  }

  async get(workspaceId: number, id: number): Promise<TagRow> {
    const tag = await findInWorkspace(this.tags, workspaceId, id, 'tag');
    return this.withCount(tag);
  }

  async create(workspaceId: number, dto: CreateTagDto): Promise<TagRow> {
    const tag = await uniquely(
      () => this.tags.save(this.tags.create({ workspaceId, name: dto.name, color: dto.color ?? null })),
      UNIQUE,
    );
    return { ...tag, leadsCount: 0 };
  }

  async update(workspaceId: number, id: number, dto: UpdateTagDto): Promise<TagRow> {
    const tag = await findInWorkspace(this.tags, workspaceId, id, 'tag');
    if (dto.name !== undefined) tag.name = dto.name;
    if (dto.color !== undefined) tag.color = dto.color;
    await uniquely(() => this.tags.save(tag), UNIQUE);
    return this.withCount(tag);
  }

  /** Removes the tag from every lead too (lead_tags cascade). */
  async remove(workspaceId: number, id: number): Promise<void> {
    const { affected } = await this.tags.delete({ id, workspaceId });
    if (!affected) throw ApiException.notFound('tag');
  }

  private async withCount(tag: Tag): Promise<TagRow> {
    const [{ n }] = await this.tags.query('SELECT count(*)::int AS n FROM lead_tags WHERE tag_id = $1', [
      tag.id,
    ]);
    return { ...tag, leadsCount: n };
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function fromRow(r: Record<string, any>): TagRow {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    color: r.color,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    leadsCount: r.leads_count,
  };
}

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
