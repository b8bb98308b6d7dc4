import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { publicBaseUrl } from './public-base-url';

/** The absolute URL of the request (APP_URL when set, else the request's own validated scheme and host). */
export const RequestUrl = createParamDecorator((_: unknown, ctx: ExecutionContext): URL => {
  const req = ctx
    .switchToHttp()
    .getRequest<{ protocol: string; host?: string; hostname: string; url: string }>();
  return new URL(req.url, `${publicBaseUrl(req, process.env.APP_URL)}/`);
});
