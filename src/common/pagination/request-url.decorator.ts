import { createParamDecorator, ExecutionContext } from '@nestjs/common';

/** The absolute URL of the request (APP_URL when set — see configureApp —, else the request's own scheme and host). */
export const RequestUrl = createParamDecorator((_: unknown, ctx: ExecutionContext): URL => {
  const req = ctx
    .switchToHttp()
    .getRequest<{ protocol: string; host?: string; hostname: string; url: string; appUrl?: string }>();
  const base = req.appUrl || `${req.protocol}://${req.host ?? req.hostname}`;
  return new URL(req.url, `${base}/`);
});
