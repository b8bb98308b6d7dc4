import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { MAX_PER_PAGE, type PaginationQueryDto } from './pagination-query.dto';

export class PageMeta {
  @ApiProperty({ type: 'integer', example: 1 })
  current_page: number;
  @ApiProperty({ type: 'integer', example: 5 })
  last_page: number;
  @ApiProperty({ type: 'integer', example: 15 })
  per_page: number;
  @ApiProperty({ type: 'integer', example: 73 })
  total: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 1, description: 'null when the page is empty' })
  from: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 15, description: 'null when the page is empty' })
  to: number | null;
}

export class PageLinks {
  @ApiProperty({ format: 'uri', example: 'https://yourdomain.com/api/v1/leads?page=1' })
  first: string;
  @ApiProperty({ format: 'uri', example: 'https://yourdomain.com/api/v1/leads?page=5' })
  last: string;
  @ApiProperty({ type: 'string', format: 'uri', nullable: true, example: null })
  prev: string | null;
  @ApiProperty({
    type: 'string',
    format: 'uri',
    nullable: true,
    example: 'https://yourdomain.com/api/v1/leads?page=2',
  })
  next: string | null;
  @ApiProperty({ format: 'uri', example: 'https://yourdomain.com/api/v1/leads?page=1' })
  self: string;
}

export interface PaginatedResponse<T> {
  data: T[];
  meta: PageMeta;
  links: PageLinks;
}

/** One page of rows as the services return it. */
export interface Page<T> {
  items: T[];
  total: number;
}

/** Shapes a page as the reference's `{data, meta, links}`; links keep the request's other parameters. */
export function paginated<T, R>(
  page: Page<T>,
  query: PaginationQueryDto,
  url: URL,
  map: (row: T) => R,
): PaginatedResponse<R> {
  const { page: current, per_page: perPage } = query;
  const lastPage = Math.max(1, Math.ceil(page.total / perPage));
  const from = page.items.length ? (current - 1) * perPage + 1 : null;
  const to = from === null ? null : from + page.items.length - 1;
  const link = (n: number) => {
    const u = new URL(url.href);
    u.searchParams.set('page', String(n));
    return u.href;
  };
  return {
    data: page.items.map(map),
    meta: { current_page: current, last_page: lastPage, per_page: perPage, total: page.total, from, to },
    links: {
      first: link(1),
      last: link(lastPage),
      prev: current > 1 ? link(Math.min(current - 1, lastPage)) : null,
      next: current < lastPage ? link(current + 1) : null,
      self: link(current),
    },
  };
}

/** Named schema `PaginatedX` = `{data: X[], meta, links}` for the document. */
export function Paginated<T>(model: Type<T>) {
  class PaginatedEnvelope {
    @ApiProperty({ type: () => [model], maxItems: MAX_PER_PAGE })
    data: T[];
    @ApiProperty({ type: () => PageMeta })
    meta: PageMeta;
    @ApiProperty({ type: () => PageLinks })
    links: PageLinks;
  }
  Object.defineProperty(PaginatedEnvelope, 'name', {
    value: `Paginated${model.name.replace(/Response$/, '')}s`,
  });
  return PaginatedEnvelope;
}

/** Named schema `XEnvelope` = `{data: X}` for single records. */
export function DataEnvelope<T>(model: Type<T>) {
  class Envelope {
    @ApiProperty({ type: () => model })
    data: T;
  }
  Object.defineProperty(Envelope, 'name', { value: `${model.name.replace(/Response$/, '')}Envelope` });
  return Envelope;
}
