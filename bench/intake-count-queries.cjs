// Preloaded into the server by bench/intake-roundtrips.mjs (NODE_OPTIONS=--require): appends every statement a
// pg client sends (one line each, whitespace squeezed) to $QUERY_LOG, so the script can count round trips.
const { appendFileSync } = require('node:fs');
const pg = require('pg');
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, ...rest) {
  const text = typeof config === 'string' ? config : config?.text;
  if (text) appendFileSync(process.env.QUERY_LOG, `${String(text).replace(/\s+/g, ' ').slice(0, 160)}\n`);
  return query.call(this, config, ...rest);
};
