import { Injectable } from '@nestjs/common';
import { fieldOnConstraint, taken } from '../common/crud/database-errors';
import { updatedWindow } from '../common/crud/sync-window';
import { sqlDirection } from '../common/crud/sorting';
import { likePattern } from '../common/crud/like-pattern';
import type { Page } from '../common/pagination/paginated-response';
import { pageWindow } from '../common/pagination/page-window';
import { TxRepository } from '../database/tx-repository';
import type { TagFiltersDto } from './dto/tag.dto';
import { Tag } from './tag.entity';

const UNIQUE = { UQ_tags_workspace_name: taken('name') };
const SORT_COLUMNS = {
  name: 'lower(t.name)',
  created_at: 't.created_at',
  updated_at: 't.updated_at',
  leads_count: 'leads_count',
} as const;

/** A tag's leads, from the counts triggers keep (migration TagLeadCounts): a few rows, however many leads. */
const LEADS_COUNT = `(SELECT coalesce(sum(c.n), 0)::int FROM tag_lead_counts c WHERE c.tag_id = t.id)`;

export type TagRow = Tag & { leadsCount: number };

/** `tags`, with how many leads carry each. */
@Injectable()
export class TagsRepository extends TxRepository {
  private get tags() {
    return this.tx.getRepository(Tag);
  }

  async list(workspaceId: number, q: TagFiltersDto): Promise<Page<TagRow>> {
    const params: unknown[] = [workspaceId];
    let where = 't.workspace_id = $1';
    if (q.search) {
      params.push(likePattern(q.search));
      where += ` AND t.name ILIKE $${params.length}`;
    }
    for (const cond of updatedWindow('t.updated_at', q, (v) => `$${params.push(v)}`)) where += ` AND ${cond}`;
    const dir = sqlDirection(q.direction);
    const { take, skip } = pageWindow(q);
    const [{ total }] = await this.tx.query(
      `SELECT count(*)::int AS total FROM tags t WHERE ${where}`,
      params,
    );
    const rows = await this.tx.query(
      `SELECT t.*, ${LEADS_COUNT} AS leads_count
         FROM tags t WHERE ${where}
        ORDER BY ${SORT_COLUMNS[q.sort]} ${dir}, t.id ${dir}
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, take, skip],
    );
    return { items: rows.map(fromRow), total };
  }

  findInWorkspace(workspaceId: number, id: number): Promise<Tag | null> {
    return this.tags.findOneBy({ id, workspaceId });
  }

  /** Inserts the tag; a name the workspace has (case-insensitive) is a 422 on `name`. */
  create(values: Partial<Tag>): Promise<Tag> {
    return fieldOnConstraint(() => this.tags.save(this.tags.create(values)), UNIQUE);
  }

  /** Saves the tag; a name the workspace has (case-insensitive) is a 422 on `name`. */
  save(tag: Tag): Promise<Tag> {
    return fieldOnConstraint(() => this.tags.save(tag), UNIQUE);
  }

  /** Deletes the tag (and, by cascade, its lead_tags); returns whether the workspace had it. */
  async delete(workspaceId: number, id: number): Promise<boolean> {
    const { affected } = await this.tags.delete({ id, workspaceId });
    return !!affected;
  }

  async leadsCount(tagId: number): Promise<number> {
    const [{ n }] = await this.tx.query(`SELECT ${LEADS_COUNT} AS n FROM tags t WHERE t.id = $1`, [tagId]);
    return n;
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
