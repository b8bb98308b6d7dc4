import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { publicBaseUrl } from './public-base-url';

/**
 * The absolute URL of the request: APP_URL when set (see configureApp), else the request's own scheme and host,
 * validated (publicBaseUrl).
 */
export const RequestUrl = createParamDecorator((_: unknown, ctx: ExecutionContext): URL => {
  const req = ctx
    .switchToHttp()
    .getRequest<{ protocol: string; host?: string; hostname: string; url: string; appUrl?: string }>();
  return new URL(req.url, `${publicBaseUrl(req, req.appUrl)}/`);
});
