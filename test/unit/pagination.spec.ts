import { paginated } from '../../src/common/pagination/paginated-response';
import type { PaginationQueryDto } from '../../src/common/pagination/pagination-query.dto';

const url = new URL('https://crm.example.com/api/v1/leads?status=new&page=2&per_page=10');
const page = (n: number, perPage: number, total: number, items: number) =>
  paginated(
    { items: Array.from({ length: items }, (_, i) => i), total },
    { page: n, per_page: perPage } as PaginationQueryDto,
    url,
    (x) => x,
  );

describe('pagination maths (pure)', () => {
  it('numbers a middle page and links its neighbours, keeping the other parameters', () => {
    const p = page(2, 10, 35, 10);
    expect(p.meta).toEqual({ current_page: 2, last_page: 4, per_page: 10, total: 35, from: 11, to: 20 });
    expect(p.links.prev).toBe('https://crm.example.com/api/v1/leads?status=new&page=1&per_page=10');
    expect(p.links.next).toBe('https://crm.example.com/api/v1/leads?status=new&page=3&per_page=10');
    expect(p.links.last).toContain('page=4');
  });

  it('the last page is partial; its next link is null', () => {
    const p = page(4, 10, 35, 5);
    expect(p.meta).toMatchObject({ from: 31, to: 35, last_page: 4 });
    expect(p.links.next).toBeNull();
  });

  it('an empty list has one page and from/to null', () => {
    const p = page(1, 15, 0, 0);
    expect(p.meta).toMatchObject({ last_page: 1, total: 0, from: null, to: null });
    expect(p.links).toMatchObject({ prev: null, next: null });
  });

  it('a page past the end is empty; prev points at the last page', () => {
    const p = page(9, 10, 35, 0);
    expect(p.meta).toMatchObject({ current_page: 9, from: null, to: null });
    expect(p.links.prev).toContain('page=4');
    expect(p.links.next).toBeNull();
  });
});
