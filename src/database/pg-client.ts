import { Logger } from '@nestjs/common';
import { Client, ClientConfig } from 'pg';

const logger = new Logger('Database');

/**
 * A pg client that always has an `error` listener. pg emits a connection's death (a killed postmaster, an
 * administrator's terminate) as an `error` event when no query is running; the pool and TypeORM listen only while
 * a client is idle or checked out by them, and an event nobody hears stops the whole process. The connection is
 * still unusable afterwards: its next query fails and the pool discards it.
 */
export class DatabaseClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', (err: Error) => logger.warn(`a database connection was lost: ${err.message}`));
  }
}
