// Imported first by the entry points: on Node ≥ 22.1 the compiled code of the ~1000 modules the server and the
// CLI load is cached on disk, which cuts their start time; a no-op on older Node.
(require('node:module') as { enableCompileCache?: () => unknown }).enableCompileCache?.();
