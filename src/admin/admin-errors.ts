import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { mapError } from '../common/errors/all-exceptions.filter';
import { ADMIN_PATH } from './admin-http';
import { redirect, sendPage } from './views';

/** No live session: to the sign-in page. */
export class AdminSignInRequired extends Error {}
/** Missing or wrong CSRF token (or a post without a session). */
export class AdminForbidden extends Error {}
/** No such record in the admin's workspace. */
export class AdminNotFound extends Error {}

/** Admin pages answer in HTML, never the API's JSON envelope; nothing of an internal error is shown. */
@Catch()
export class AdminErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('AdminPanel');

  catch(exception: unknown, host: ArgumentsHost) {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof AdminSignInRequired) return redirect(reply, `${ADMIN_PATH}/sign-in`);
    if (exception instanceof AdminForbidden)
      return sendPage(
        reply,
        'error',
        {
          title: 'Forbidden',
          message:
            'This form has expired or did not come from this site. Go back, reload the page and try again.',
        },
        403,
      );
    if (exception instanceof AdminNotFound) return notFound(reply);
    const mapped = mapError(exception);
    if (mapped.status === 404) return notFound(reply);
    if (mapped.unexpected || mapped.status >= 500) {
      if (!(exception instanceof HttpException))
        this.logger.error((exception as Error)?.stack ?? String(exception));
      return sendPage(
        reply,
        'error',
        {
          title: 'Something went wrong',
          message: 'The server could not complete this request. Try again in a moment.',
        },
        mapped.status >= 500 ? mapped.status : 500,
      );
    }
    return sendPage(
      reply,
      'error',
      { title: 'Request refused', message: mapped.body.message },
      mapped.status,
    );
  }
}

function notFound(reply: FastifyReply) {
  return sendPage(reply, 'error', { title: 'Not found', message: 'There is no such page or record.' }, 404);
}
