// npm run bench:json-scan — what a JSON body costs the event loop per MB, before and after the raw-byte bounds
// scan (src/common/edge/json-shape-scan.ts): the old path parsed every body (secure-json-parse, as Fastify does)
// and then walked the object (bodyBoundsProblem); the new one scans the bytes first and parses only bodies within
// the bounds. Needs a build (dist/).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const sjson = require(require.resolve('secure-json-parse', { paths: [require.resolve('fastify')] }));
const { jsonShapeProblem } = require(join(root, 'dist/src/common/edge/json-shape-scan.js'));
const { bodyBoundsProblem } = require(join(root, 'dist/src/common/edge/body-bounds.js'));

const keys = (n) => `{${Array.from({ length: n }, (_, i) => `"${i.toString(36)}":0`).join(',')}}`;
const bodies = {
  'huge-key object (110,000 keys)': keys(110_000),
  'one long string (a 1 MB note)': JSON.stringify({ first_name: 'x', notes: 'n'.repeat(1_000_000) }),
  '1 MB of whitespace around a small object': `${' '.repeat(1_000_000)}{"first_name":"x"}`,
  '10,000 values in bounds (50 × 200 keys)': JSON.stringify(
    Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`o${i}`, JSON.parse(keys(200))])),
  ),
};

const parseOptions = { protoAction: 'error', constructorAction: 'error' };
const before = (buf) => bodyBoundsProblem(sjson.parse(buf.toString('utf8'), parseOptions));
const after = (buf) =>
  jsonShapeProblem(buf) ?? bodyBoundsProblem(sjson.parse(buf.toString('utf8'), parseOptions));

function msPerMb(fn, buf) {
  for (let i = 0; i < 5; i++) fn(buf); // warm-up
  const runs = 30;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) fn(buf);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / runs;
  return ms / (buf.length / 1e6);
}

console.log(
  '| body | size | before: parse + walk, ms/MB | after: scan (+ parse + walk when in bounds), ms/MB | the scan alone, ms/MB |',
);
console.log('|---|---:|---:|---:|---:|');
for (const [name, text] of Object.entries(bodies)) {
  const buf = Buffer.from(text);
  console.log(
    `| ${name} | ${(buf.length / 1e6).toFixed(2)} MB | ${msPerMb(before, buf).toFixed(2)} | ${msPerMb(after, buf).toFixed(2)} | ${msPerMb(jsonShapeProblem, buf).toFixed(2)} |`,
  );
}
