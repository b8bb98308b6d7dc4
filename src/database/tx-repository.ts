import { TransactionHost } from '@nestjs-cls/transactional';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { TypeOrmTransactions } from './transactions';

/**
 * What every repository starts from: `tx`, the EntityManager of the transaction the call runs in (a service
 * method marked `@Transactional()`), or the pool's when there is none. Repositories own the SQL; services never
 * see an EntityManager.
 */
@Injectable()
export abstract class TxRepository {
  constructor(protected readonly txHost: TransactionHost<TypeOrmTransactions>) {}

  protected get tx(): EntityManager {
    return this.txHost.tx;
  }
}
