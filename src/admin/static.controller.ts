import { Get, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AdminController, Anonymous } from './admin.guard';
import { AdminNotFound } from './admin-errors';

// The panel's only static files, read once: a fixed list, so no path ever reaches the file system.
const FILES: Record<string, { type: string; body: Buffer }> = Object.fromEntries(
  [
    ['admin.css', 'text/css; charset=utf-8'],
    ['admin.js', 'text/javascript; charset=utf-8'],
  ].map(([name, type]) => [name, { type, body: readFileSync(join(__dirname, 'views', 'static', name)) }]),
);

@AdminController('admin/static')
export class AdminStaticController {
  @Get(':file')
  @Anonymous()
  file(@Param('file') file: string, @Res() reply: FastifyReply) {
    const f = Object.hasOwn(FILES, file) ? FILES[file] : undefined;
    if (!f) throw new AdminNotFound();
    return reply.header('Cache-Control', 'public, max-age=300').type(f.type).send(f.body);
  }
}

/** Any other /admin path: the panel's own not-found page (HTML, with the panel's headers), not the API's JSON. */
@AdminController('admin')
export class AdminFallbackController {
  @Get('*')
  @Anonymous()
  notFound() {
    throw new AdminNotFound();
  }
}
