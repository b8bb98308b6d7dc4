/** Escapes LIKE wildcards in user input used for `search`: a contains-match pattern for ILIKE (escape `\`). */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
