import createClient, { type Client, type FetchResponse, type MaybeOptionalInit } from 'openapi-fetch';
import { LeadHubApiError } from './errors.js';
import type { PageLinks, PageMeta, paths } from './generated/openapi.js';
import { retryingFetch, type FetchLike, type RetryOptions } from './retry.js';

export interface LeadHubClientOptions {
  /** Where the API is served, e.g. `https://crm.example.com` (paths such as `/api/v1/leads` are added to it). */
  baseUrl: string;
  /** An API key (`lh_…`), sent as `Authorization: Bearer`. */
  apiKey: string;
  /** Retries on 429, 503 and lost connections (see RetryOptions); `false` sends every request once. */
  retry?: RetryOptions | false;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** A fetch implementation to use instead of the global one. */
  fetch?: FetchLike;
}

type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'patch';
type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: paths[P] extends Record<M, object> ? P : never;
}[keyof paths];
// The same required-or-optional second argument as openapi-fetch's own methods (its InitParam is not exported).
type RequiredKeysOf<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type InitArg<Init> = RequiredKeysOf<Init> extends never ? [Init?] : [Init];
type SuccessBody<P extends keyof paths, M extends HttpMethod, Init> =
  NonNullable<
    FetchResponse<paths[P][M] & Record<string | number, unknown>, Init, `${string}/${string}`>['data']
  > extends infer B
    ? [B] extends [never]
      ? void
      : B
    : never;

/** A typed call: resolves with the success body (`void` for 204), rejects with LeadHubApiError otherwise. */
export type LeadHubMethod<M extends HttpMethod> = <
  P extends PathsWith<M>,
  Init extends MaybeOptionalInit<paths[P], M>,
>(
  path: P,
  ...init: InitArg<Init>
) => Promise<SuccessBody<P, M, Init>>;

/** The list operations: those whose 200 is the `{data, meta, links}` page envelope. */
export type ListPath = {
  [P in PathsWith<'get'>]: paths[P]['get'] extends {
    responses: { 200: { content: { 'application/json': { data: unknown[]; meta: PageMeta } } } };
  }
    ? P
    : never;
}[PathsWith<'get'>];
type ListBody<P extends ListPath> = paths[P]['get'] extends {
  responses: { 200: { content: { 'application/json': infer B } } };
}
  ? B
  : never;
export type ListItem<P extends ListPath> = ListBody<P> extends { data: (infer T)[] } ? T : never;
export interface Page<T> {
  data: T[];
  meta: PageMeta;
  links: PageLinks;
}

/** The largest `per_page` the API accepts; the iterators ask for it unless told otherwise. */
const MAX_PER_PAGE = 100;

export class LeadHubClient {
  /** The underlying openapi-fetch client (same retries and keys): `{data, error, response}` with headers. */
  readonly raw: Client<paths>;

  constructor(options: LeadHubClientOptions) {
    const base: FetchLike = options.fetch ?? ((request) => globalThis.fetch(request));
    this.raw = createClient<paths>({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      headers: { ...options.headers, Authorization: `Bearer ${options.apiKey}` },
      // retry: false only stops the retries; POSTs are keyed all the same (the server then records their result).
      fetch: retryingFetch(base, options.retry === false ? { maxRetries: 0 } : options.retry),
    });
  }

  readonly get: LeadHubMethod<'get'> = this.method('get');
  readonly post: LeadHubMethod<'post'> = this.method('post');
  readonly put: LeadHubMethod<'put'> = this.method('put');
  readonly patch: LeadHubMethod<'patch'> = this.method('patch');
  readonly delete: LeadHubMethod<'delete'> = this.method('delete');

  /**
   * Every record of a list, page after page (`page` in the query says where to start; `per_page` defaults to
   * the maximum, 100). Pages are read as they are needed: stop iterating and no further page is fetched.
   */
  async *paginate<P extends ListPath, Init extends MaybeOptionalInit<paths[P], 'get'>>(
    path: P,
    ...init: InitArg<Init>
  ): AsyncGenerator<ListItem<P>, void, undefined> {
    for await (const page of this.pages(
      path,
      ...(init as unknown as InitArg<MaybeOptionalInit<paths[P], 'get'>>),
    ))
      yield* page.data;
  }

  /** The pages of a list, each with its `meta` (total, last_page…) and `links`. */
  async *pages<P extends ListPath, Init extends MaybeOptionalInit<paths[P], 'get'>>(
    path: P,
    ...init: InitArg<Init>
  ): AsyncGenerator<Page<ListItem<P>>, void, undefined> {
    const first = (init[0] ?? {}) as { params?: { query?: Record<string, unknown> } };
    const query = first.params?.query ?? {};
    let page = Number(query.page ?? 1);
    for (;;) {
      const params = { ...first.params, query: { per_page: MAX_PER_PAGE, ...query, page } };
      // The generic list path cannot be narrowed to one operation here; the signature above keeps callers typed.
      const body = (await this.get(path as never, { ...first, params } as never)) as unknown as Page<
        ListItem<P>
      >;
      yield body;
      if (body.data.length === 0 || body.meta.current_page >= body.meta.last_page) return;
      page = body.meta.current_page + 1;
    }
  }

  private method<M extends HttpMethod>(method: M): LeadHubMethod<M> {
    const call = async (path: string, init?: object) => {
      // openapi-fetch's request() is typed per path; this wrapper is typed by LeadHubMethod instead.
      const request = this.raw.request as (
        m: string,
        p: string,
        i?: object,
      ) => Promise<FetchResponse<never, never, never>>;
      const { data, error, response } = await request(method, path, init);
      if (!response.ok)
        throw new LeadHubApiError(response, error, method.toUpperCase(), response.url || path);
      return data;
    };
    return call as unknown as LeadHubMethod<M>;
  }
}

export function createLeadHubClient(options: LeadHubClientOptions): LeadHubClient {
  return new LeadHubClient(options);
}
