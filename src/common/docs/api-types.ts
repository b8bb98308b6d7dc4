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
