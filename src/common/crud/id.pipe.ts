import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiException } from '../errors/api.exception';

const MAX_ID = 2_147_483_647;

/** A path id: a positive 32-bit integer; anything else cannot name a record, so it is a 404. */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(id) || id > MAX_ID) throw ApiException.notFound();
    return id;
  }
}
