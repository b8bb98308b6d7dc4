import type { Server } from 'node:http';
import request from 'supertest';
import { AdminSetupService } from '../../src/admin/setup.service';
import { UsersService } from '../../src/users/users.service';
import type { TestApp } from '../support/test-app';

export type Form = Record<string, string | string[]>;

export interface PageResponse {
  status: number;
  text: string;
  headers: Record<string, string | string[]>;
  location?: string;
}

export const PASSWORD = 'correct horse battery staple';

/** A browser-like client of the admin panel over plain HTTP: a cookie jar and the forms' CSRF tokens. */
export class AdminClient {
  readonly jar = new Map<string, string>();

  constructor(
    private readonly server: Server,
    private readonly extraHeaders: Record<string, string> = {},
  ) {}

  get cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<PageResponse> {
    return this.keep(await request(this.server).get(path).set(this.headers(headers)));
  }

  /** Posts a form; `csrf: true` takes the token from `from` (a page fetched first). */
  async post(path: string, form: Form, o: { from?: string; headers?: Record<string, string> } = {}) {
    const body = new URLSearchParams();
    const token = o.from ? csrfOf((await this.get(o.from)).text) : undefined;
    if (token) body.append('_csrf', token);
    for (const [k, v] of Object.entries(form)) for (const one of [v].flat()) body.append(k, one);
    const res = await request(this.server)
      .post(path)
      .set(this.headers(o.headers ?? {}))
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(body.toString());
    return this.keep(res);
  }

  async signIn(email: string, password = PASSWORD, headers: Record<string, string> = {}) {
    return this.post('/admin/sign-in', { email, password }, { from: '/admin/sign-in', headers });
  }

  private headers(extra: Record<string, string>) {
    const h: Record<string, string> = { ...this.extraHeaders, ...extra };
    if (this.jar.size) h.Cookie = this.cookie;
    return h;
  }

  private keep(res: request.Response): PageResponse {
    const set = ([] as string[]).concat((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []);
    for (const c of set) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i);
      const value = pair.slice(i + 1);
      if (value === '' || /Max-Age=0/i.test(c)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return {
      status: res.status,
      text: res.text,
      headers: res.headers as Record<string, string | string[]>,
      location: res.headers.location as string | undefined,
    };
  }
}

export function csrfOf(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

/** An admin of the workspace, created the way the users resource stores them (argon2id). */
export async function createAdmin(t: TestApp, workspaceId: number, email: string, role = 'admin') {
  return t.app.get(UsersService).create(workspaceId, {
    name: email.split('@')[0],
    email,
    role: role as 'admin',
    password: PASSWORD,
  } as never);
}

export const issueSetupToken = (t: TestApp, workspaceId: number) =>
  t.app.get(AdminSetupService).issue(workspaceId);
