/** A workspace slug (the inbound endpoint's `tenant`): lowercase letters, digits and inner dashes, 1–64 long. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
