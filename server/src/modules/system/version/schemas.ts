import { z } from 'zod';

export const versionSchema = z.object({
  version: z.string(),
  /** The commit built (git at build time, else KAM_COMMIT); null when neither says (sources without KAM_COMMIT). */
  commit: z.string().nullable(),
  /** When the build ran; null when running from sources. */
  builtAt: z.string().nullable(),
  database: z.enum(['pglite', 'postgres']),
  /** Applied migrations, oldest first; createdAt is the migration's own time (drizzle records no time of application). */
  migrations: z.array(z.object({ tag: z.string(), createdAt: z.string() })),
  /** Migrations of this build not applied yet (applied at the next start). */
  pending: z.array(z.string()),
  schemaCurrent: z.boolean(),
}).meta({ id: 'Version' });
