import { Transform } from 'class-transformer';

/** Trims a string body field before it is validated (anything else is left for the validators to refuse). */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
