import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { ApiErrorResponses } from '../docs/api-responses';
import { PUBLIC_ROUTE } from '../edge/request-gate';
import type { Principal } from './principal';
import type { Scope } from './scopes';

export const SCOPES_KEY = 'leadhub:scopes';
export const PUBLIC_KEY = 'leadhub:public';
export const OUTSIDE_API_KEY = 'leadhub:outside-api';

/**
 * The scope an operation requires: guards the route and documents it (security, `x-required-scopes`,
 * and the 401/403/429 responses every authenticated operation can return). Every route takes exactly one of
 * `@Scopes()`, `@Public()` or `@OutsideApi()`; the app does not start otherwise (route-decisions.ts).
 */
export function Scopes(scope: Scope) {
  return applyDecorators(
    SetMetadata(SCOPES_KEY, [scope]),
    ApiBearerAuth('api_key'),
    ApiExtension('x-required-scopes', [scope]),
    ApiErrorResponses(401, 403, 429, 500, 503),
  );
}

/**
 * No API key needed (health): the document says so with an explicit empty `security` list, and the Fastify
 * route is marked so the request gate (src/common/edge/request-gate.ts) lets it through without looking for a key.
 */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), NoSecurity(), PublicRoute());

/** Route config on the method, or on each method of a class (Nest reads a route's config from its method). */
function PublicRoute(): MethodDecorator & ClassDecorator {
  const mark = RouteConfig({ [PUBLIC_ROUTE]: true });
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    if (descriptor) return void mark(target, key!, descriptor);
    const proto = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, name);
      if (name !== 'constructor' && typeof d?.value === 'function') mark(proto, name, d);
    }
  };
}

// @nestjs/swagger has no decorator for `security: []` (and does not export its metadata keys); an empty
// list under its security key makes it emit one.
const API_SECURITY = 'swagger/apiSecurity';
function NoSecurity(): MethodDecorator & ClassDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    Reflect.defineMetadata(API_SECURITY, [], descriptor ? descriptor.value : target);
  };
}

/**
 * Not an API route (the admin panel): the API's key guard, rate-limit gate and scope check stand aside and the
 * controller brings its own authentication. An API key never opens such a route.
 */
export const OutsideApi = () => SetMetadata(OUTSIDE_API_KEY, true);

/** The authenticated caller. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().user,
);

/** The caller's workspace id: every query is scoped by it. */
export const WorkspaceId = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): number =>
    (ctx.switchToHttp().getRequest().user as Principal).workspaceId,
);
