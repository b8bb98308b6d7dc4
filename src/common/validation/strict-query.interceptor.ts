import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { Observable } from 'rxjs';
import { ApiException } from '../errors/api.exception';

/**
 * An operation without a query DTO accepts no query parameters: `GET /leads/1?foo=1` is a 422 naming
 * `foo`, like an unknown parameter on a list. (Operations with a query DTO are checked by the pipe.)
 */
@Injectable()
export class StrictQueryInterceptor implements NestInterceptor {
  private readonly takesQuery = new WeakMap<object, boolean>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const query = context.switchToHttp().getRequest().query as Record<string, unknown> | undefined;
    const keys = query ? Object.keys(query) : [];
    if (keys.length && !this.handlerTakesQuery(context)) {
      throw ApiException.validation(
        Object.fromEntries(keys.map((k) => [k, [`The ${k} parameter is not allowed.`]])),
      );
    }
    return next.handle();
  }

  private handlerTakesQuery(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let known = this.takesQuery.get(handler);
    if (known === undefined) {
      const args = Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {};
      known = Object.keys(args).some((k) => k.split(':')[0] === String(RouteParamtypes.QUERY));
      this.takesQuery.set(handler, known);
    }
    return known;
  }
}
