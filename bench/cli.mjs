// What every bench script shares: its command-line options and how it ends.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

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

/**
 * Puts `<!-- bench:KEY -->\n…\n<!-- /bench:KEY -->` into `file`, replacing the block of the same key, or appends it.
 * Markers count only on a line of their own: prose that quotes one must not be taken for it.
 */
export function recordSection(file, key, body, header = '') {
  const esc = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const block = `<!-- bench:${key} -->\n${body.trimEnd()}\n<!-- /bench:${key} -->`;
  const doc = existsSync(file) ? readFileSync(file, 'utf8') : header;
  const re = new RegExp(`^<!-- bench:${esc} -->$[\\s\\S]*?^<!-- /bench:${esc} -->$`, 'm');
  writeFileSync(file, re.test(doc) ? doc.replace(re, () => block) : `${doc.trimEnd()}\n\n${block}\n`);
}
