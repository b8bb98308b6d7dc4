import { Injectable, PipeTransform } from '@nestjs/common';
import { ApiException } from '../errors/api.exception';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path uuid; anything else cannot name a record, so it is a 404 (like IdPipe). */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw ApiException.notFound();
    return value.toLowerCase();
  }
}
