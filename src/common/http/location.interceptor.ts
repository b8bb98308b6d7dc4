import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, Observable } from 'rxjs';

const LOCATION = 'leadhub:location';
type Body = { data?: { id?: unknown } & Record<string, unknown> } & Record<string, unknown>;

/** Where a 201 of this operation points, when it is not "the request's path + /{data.id}". */
export const CreatedLocation = (locate: (body: Body) => string | undefined) => SetMetadata(LOCATION, locate);

/**
 * Every 201 carries `Location` (RFC 9110 §15.3.2): by default the collection's path followed by the new
 * record's id; operations whose record lives elsewhere say where with `@CreatedLocation`.
 */
@Injectable()
export class LocationInterceptor implements NestInterceptor {
  constructor(private readonly reflector = new Reflector()) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const locate = this.reflector.get<(body: Body) => string | undefined>(LOCATION, context.getHandler());
    return next.handle().pipe(
      map((body: Body) => {
        if (reply.statusCode !== 201 || reply.getHeader('location') || !body) return body;
        const path = req.url.split('?')[0].replace(/\/+$/, '');
        const where = locate
          ? locate(body)
          : body.data?.id !== undefined
            ? `${path}/${body.data.id}`
            : undefined;
        if (where) reply.header('Location', where);
        return body;
      }),
    );
  }
}
