// Types the document states, declared on the field itself: the post-processing in openapi.ts orders and
// decorates the document but never guesses a type from a field's name.

// @nestjs/swagger keeps a property's schema options under this key (not exported, like its security key).
const MODEL_PROPERTIES = 'swagger/apiModelProperties';

/**
 * A timestamp of a response (`isoTimestamp()`): RFC 3339 `date-time`. Adds only the format to what the
 * plugin reads from the property (type, `@example`) and leaves the property in its place among the others
 * (an `@ApiProperty()` would move it to the front). With an `@ApiProperty()` of its own, say `format` there.
 */
export function ApiTimestamp(): PropertyDecorator {
  return (target, key) => {
    const existing = Reflect.getMetadata(MODEL_PROPERTIES, target, key) ?? {};
    Reflect.defineMetadata(MODEL_PROPERTIES, { ...existing, format: 'date-time' }, target, key);
  };
}

/** Marks a property ApiReference() declared; openapi.ts reads it for request examples, then removes it. */
export const REFERENCE_MARK = 'x-leadhub-reference';

/**
 * An id of a record the request points at (a pipeline, a user, an outside service's form): request examples
 * leave it out, so each runs as it is on a fresh install, where no such record exists.
 */
export function ApiReference(): PropertyDecorator {
  return (target, key) => {
    const existing = Reflect.getMetadata(MODEL_PROPERTIES, target, key) ?? {};
    Reflect.defineMetadata(MODEL_PROPERTIES, { ...existing, [REFERENCE_MARK]: true }, target, key);
  };
}
