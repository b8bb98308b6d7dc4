// What every bench script shares: its command-line options and how it ends.

/** The value after `--name` on the command line, else `dflt`. */
export const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};

/** Whether `--name` is on the command line. */
export const flag = (name) => process.argv.includes(`--${name}`);

/** Runs `main`, exits 0 when it resolves, else prints "<name> failed: …" and exits 1. */
export function runMain(name, main) {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`${name} failed: ${err.stack ?? err}\n`);
      process.exit(1);
    },
  );
}
