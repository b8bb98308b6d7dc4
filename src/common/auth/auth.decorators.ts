import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { ApiErrorResponses } from '../docs/api-responses';
import type { Principal } from './principal';

export const SCOPES_KEY = 'leadhub:scopes';
export const PUBLIC_KEY = 'leadhub:public';

/**
 * The scope an operation requires: guards the route and documents it (security, `x-required-scopes`,
 * and the 401/403/429 responses every authenticated operation can return).
 */
export function Scopes(scope: string) {
  return applyDecorators(
    SetMetadata(SCOPES_KEY, [scope]),
    ApiBearerAuth('api_key'),
    ApiExtension('x-required-scopes', [scope]),
    ApiErrorResponses(401, 403, 429, 500, 503),
  );
}

/** No API key needed (health): the document says so with an explicit empty `security` list. */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), NoSecurity());

// @nestjs/swagger has no decorator for `security: []` (and does not export its metadata keys); an empty
// list under its security key makes it emit one.
const API_SECURITY = 'swagger/apiSecurity';
function NoSecurity(): MethodDecorator & ClassDecorator {
  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor): void => {
    Reflect.defineMetadata(API_SECURITY, [], descriptor ? descriptor.value : target);
  };
}

/** The authenticated caller. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => ctx.switchToHttp().getRequest().user,
);

/** The caller's workspace id: every query is scoped by it. */
export const WorkspaceId = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): number =>
    (ctx.switchToHttp().getRequest().user as Principal).workspaceId,
);
