import { Type } from '@nestjs/common';
import { PartialType } from '@nestjs/swagger';

/**
 * The body of PUT/PATCH: every field of the create body, optional — but a field that is sent must be valid,
 * so `{"name": null}` is a 422 for a required field (plain PartialType lets null through).
 */
export function UpdateType<T>(create: Type<T>) {
  return PartialType(create, { skipNullProperties: false });
}
