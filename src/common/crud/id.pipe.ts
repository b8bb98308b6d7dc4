import { Injectable, Param, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
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

/**
 * A path id: `@IdParam() id: number`, `@IdParam('stage_id') stageId: number`. IdPipe (non-ids → 404), and the
 * document's parameter says `integer` (the plugin sees only TypeScript's `number`).
 */
export function IdParam(name = 'id'): ParameterDecorator {
  return (target, key, index) => {
    Param(name, IdPipe)(target, key, index);
    // Parameter decorators run before the method's: the descriptor holds the handler swagger reads later.
    ApiParam({ name, type: 'integer' })(target, key!, Object.getOwnPropertyDescriptor(target, key!)!);
  };
}
