#!/usr/bin/env node
/**
 * Patches postgres.js 3.4.9 so that a terminated database backend cannot kill the process
 * (docs/decisions/0010-postgres-js-patch-and-relay-liveness.md). Runs as the project's `postinstall`, so `npm ci`
 * on a fresh clone applies it. Idempotent; refuses loudly when the installed version or code is
 * not the one the patch was written for, so an upgrade makes someone re-check upstream.
 *
 * Files are written to a temporary name and renamed over the original: a hard-linked
 * node_modules (shared between checkouts) keeps its other copies untouched.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const VERSION = "3.4.9";
const MARKER = "gantry: postgres.js patch v2 (termination, connection wait)";

/** [what upstream has, what we want, why], per file of each build. Each must match exactly once. */
const CONNECTION_EDITS = [
  [
    "  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)",
    `  function nextWrite(fn) {
    if (socket === null) {
      // ${MARKER}
      // The socket closed under a pending write (a reserved connection whose backend died, or a
      // flush scheduled just before the close). Throwing here escapes as an uncaughtException;
      // settle the waiting queries with a catchable error instead.
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }
    const x = socket.write(chunk, fn)`,
    "no TypeError on a null socket (porsager/postgres#1208, #1168)",
  ],
  [
    "    terminated = true\n    if (stream || query || initial || sent.length)\n      error(Errors.connection('CONNECTION_DESTROYED', options))\n\n    clearImmediate(nextWriteTimer)\n",
    "    terminated = true\n    if (stream || query || initial || sent.length)\n      error(Errors.connection('CONNECTION_DESTROYED', options))\n\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n",
    "a cleared but non-null timer would block every later flush on the next socket (wedged pool slot)",
  ],
  [
    "    incomings = null\n    clearImmediate(nextWriteTimer)\n",
    "    incomings = null\n    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n",
    "same, on the close path",
  ],
  [
    "    if (initial)\n      return reconnect()\n\n    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))\n",
    `    if (initial) {
      // Closed while starting up (e.g. during the array-types query): fail that internal query and
      // forget the old backend's state, or its error is replayed onto the first user query.
      query && query !== initial && queryError(query, Errors.connection('CONNECTION_CLOSED', options))
      query = results = errorResponse = null
      result = new Result()
      return reconnect()
    }

    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))
    query = results = errorResponse = null
    result = new Result()
`,
    "no stale query or error survives into the reconnected socket (porsager/postgres#1223)",
  ],
  [
    "        initial.reserve && (initial = null)\n        return fetchArrayTypes()\n",
    `        initial.reserve && (initial = null)
        // Its failure already reached the user's query or the reconnect; unhandled, it kills the process.
        return fetchArrayTypes().catch(() => {})
`,
    "the array-types promise was discarded: an unhandledRejection (porsager/postgres#1192, #1205)",
  ],
  [
    "      initial && !initial.reserve && execute(initial)\n",
    `      // The query this connection was opened for may have stopped waiting (connect_timeout, in
      // index.js): offer the connection to the pool instead of leaving it open and unused for ever.
      initial && !initial.reserve && (initial.cancelled ? onopen(connection) : execute(initial))
`,
    "a query cancelled before its new connection was ready left that connection stuck in the connecting list",
  ],
];

const POOL_EDITS = [
  [
    "    if (closed.length)\n      return connect(closed.shift(), query)\n\n    busy.length\n      ? go(busy.shift(), query)\n      : queries.push(query)\n  }\n",
    `    if (closed.length) {
      waitForConnection(query)
      return connect(closed.shift(), query)
    }

    busy.length
      ? go(busy.shift(), query)
      : (waitForConnection(query), queries.push(query))
  }

  // A query waits for a connection at most connect_timeout, like pg-pool's connectionTimeoutMillis.
  // Upstream, a query queued while the server refuses connections waits until it is back (the
  // reconnect backs off up to 20 s a round and each failed attempt fails only one query), so a
  // caller could wait for the whole outage. It now fails with CONNECT_TIMEOUT, which Gantry
  // answers as a retryable 503, and it never runs later, when nobody waits for it any more.
  function waitForConnection(query) {
    const timer = setTimeout(() => {
      if (query.state || query.cancelled)
        return
      queries.remove(query)
      query.cancelled = true
      query.reject(Errors.connection('CONNECT_TIMEOUT', options))
    }, options.connect_timeout * 1000)
    timer.unref && timer.unref()
  }
`,
    "a query waited for a connection for as long as the server refused them (no bound on the pool's queue)",
  ],
  [
    "        const query = { reserve: resolve, reject }\n",
    `        // ${MARKER}
        // Settle once. A connection offered after a failed attempt goes back to the pool instead of
        // to nobody (a leaked connection), and a failed attempt leaves the pool's waiting list.
        let settled = false
        const query = {
          reserve: c => settled ? onopen(c) : (settled = true, resolve(c)),
          reject: e => settled || (settled = true, queries.remove(query), reject(e))
        }
`,
    "a reserve() whose connection died was lost or leaked its connection: reserve() hung",
  ],
  [
    "    queries.length && connect(c, queries.shift())\n",
    `    if (queries.length) {
      // A waiting reserve() is served from this list once a connection opens: keep it listed.
      const query = queries.shift()
      query.reserve && queries.push(query)
      connect(c, query)
    }
`,
    "same: a reserve() picked up by a reconnect was never resolved",
  ],
  [
    "    c.reserved.release = true\n\n    const sql = Sql(handler)\n    sql.release = () => {\n      c.reserved = null\n      onopen(c)\n    }\n",
    `    c.reserved.release = true

    // A reserved connection that closed belongs to the pool again (maybe already reconnected for
    // someone else): fail this holder's queries and do not hand the connection back a second time.
    let closedError = null
    c.onclose = e => {
      closedError = e
      while (queue.length) queue.shift().reject(e)
    }

    const sql = Sql(handler)
    sql.release = () => {
      c.reserved = null
      closedError || (c.onclose = null, onopen(c))
    }
`,
    "a reserved connection whose backend died was parked in the full queue with no socket: a lost pool slot",
  ],
  [
    "    function handler(q) {\n      c.queue === full\n",
    "    function handler(q) {\n      if (closedError)\n        return q.reject(closedError)\n      c.queue === full\n",
    "same",
  ],
  [
    "        new Promise((_, reject) => connection.onclose = reject)\n",
    `        new Promise((_, reject) => connection.onclose = e => {
          // Once its connection closed, the transaction is over: the callback may still run, but
          // its queries must fail, not wait forever in the local queue or run on the reconnected
          // socket outside any transaction (porsager/postgres#1215, #1186).
          closedError = e
          while (queries.length) queries.shift().reject(e)
          reject(e)
        })
`,
    "a transaction's queries after its connection closed hung or ran outside the transaction",
  ],
  ["      , prepare = null\n", "      , prepare = null\n      , closedError = null\n", "same"],
  [
    "        q.catch(e => uncaughtError || (uncaughtError = e))\n",
    "        q.catch(e => uncaughtError || (uncaughtError = e))\n        if (closedError)\n          return q.reject(closedError)\n",
    "same",
  ],
];

const FILES = [
  ["connection.js", CONNECTION_EDITS],
  ["index.js", POOL_EDITS],
];

/**
 * Patches (or, for the driver benchmark, un-patches) the postgres.js package in `root`.
 * Returns false when the installed version or code is not the one the patch was written for.
 */
export function patchPostgres(root, direction = "apply") {
  const { version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  if (version !== VERSION) {
    console.error(
      `patch-postgres: postgres ${version} installed, the patch is for ${VERSION}. ` +
        "Check whether upstream fixed the nextWrite crash, then update or remove scripts/patch-postgres.mjs.",
    );
    return false;
  }
  for (const build of ["src", "cjs/src", "cf/src"]) {
    for (const [name, edits] of FILES) {
      const path = join(root, build, name);
      let code = readFileSync(path, "utf8");
      if (code.includes(MARKER) === (direction === "apply")) continue;
      for (const [upstream, patched, why] of edits) {
        const [from, to] = direction === "apply" ? [upstream, patched] : [patched, upstream];
        const at = code.indexOf(from);
        if (at === -1 || code.indexOf(from, at + 1) !== -1) {
          console.error(`patch-postgres: ${path} does not match the expected code (${why}); not patched.`);
          return false;
        }
        code = code.slice(0, at) + to + code.slice(at + from.length);
      }
      writeFileSync(`${path}.gantry-tmp`, code);
      renameSync(`${path}.gantry-tmp`, path);
    }
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // The package's "exports" hide its package.json from require.resolve: look in node_modules directly.
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", "postgres");
  if (!existsSync(join(root, "package.json"))) process.exit(0); // nothing installed, nothing to patch
  if (!patchPostgres(root)) process.exit(1);
  console.log(`patch-postgres: postgres ${VERSION} patched`);
}
