import { Injectable, OnModuleInit, RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { OUTSIDE_API_KEY, PUBLIC_KEY, SCOPES_KEY } from './auth.decorators';
import type { Scope } from './scopes';

/** What a route decided about API keys: a scope, no key at all, or outside the API (the admin panel's sessions). */
export type RouteDecision = { scope: Scope } | { public: true } | { outsideApi: true };

export interface RouteEntry {
  method: string;
  /** As the controller declares it, without the global `api` prefix. */
  path: string;
  /** `Controller.method`: what a failed start names. */
  handler: string;
  decisions: RouteDecision[];
}

/** Every route handler of the given controllers, with the key decisions its decorators made. */
export function routeEntries(
  controllers: Type[],
  reflector: Reflector,
  scanner: MetadataScanner,
): RouteEntry[] {
  const entries: RouteEntry[] = [];
  for (const controller of controllers) {
    const base = pathsOf(Reflect.getMetadata(PATH_METADATA, controller));
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name] as object;
      const paths = Reflect.getMetadata(PATH_METADATA, handler);
      if (paths === undefined) continue; // not a route handler
      const targets = [handler, controller] as never;
      const decisions: RouteDecision[] = [];
      // The scopes guard reads the handler only: a class-level @Scopes() would guard nothing.
      for (const scope of reflector.get<Scope[] | undefined>(SCOPES_KEY, handler as never) ?? [])
        decisions.push({ scope });
      if (reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) decisions.push({ public: true });
      if (reflector.getAllAndOverride<boolean>(OUTSIDE_API_KEY, targets))
        decisions.push({ outsideApi: true });
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      for (const b of base)
        for (const p of pathsOf(paths))
          entries.push({ method, path: join(b, p), handler: `${controller.name}.${name}`, decisions });
    }
  }
  return entries;
}

/** Routes that made no decision (open to any valid key) or several (which one holds would be an accident). */
export function undecidedRoutes(entries: RouteEntry[]): string[] {
  return entries
    .filter((e) => e.decisions.length !== 1)
    .map((e) => `${e.handler} (${e.method} /${e.path}): ${e.decisions.length ? 'more than one' : 'none'}`);
}

/**
 * Fails closed: the app refuses to start while any route lacks exactly one of `@Scopes()`, `@Public()` or
 * `@OutsideApi()` (the admin panel's `@AdminController`). Without it the route would be open to any valid key.
 */
@Injectable()
export class RouteDecisionsCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly scanner: MetadataScanner,
  ) {}

  entries(): RouteEntry[] {
    const controllers = this.discovery
      .getControllers()
      .map((w) => w.metatype as Type | null)
      .filter((c): c is Type => !!c);
    return routeEntries([...new Set(controllers)], this.reflector, this.scanner);
  }

  onModuleInit(): void {
    const missing = undecidedRoutes(this.entries());
    if (missing.length)
      throw new Error(
        `Every route needs exactly one of @Scopes(...), @Public() or @OutsideApi(); these do not:\n  ${missing.join('\n  ')}`,
      );
  }
}

function pathsOf(value: unknown): string[] {
  if (value === undefined) return [''];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

function join(a: string, b: string): string {
  return [a, b]
    .map((s) => s.replace(/^\/+|\/+$/g, ''))
    .filter(Boolean)
    .join('/');
}
