// The c2c command line with every read of a file whose name holds "hang" blocked in the operating
// system, as a read from a network drive that stopped answering: the read opens C2C_TEST_HANG_FIFO,
// a FIFO no one writes, without O_NONBLOCK, so a thread of Node's pool waits in open() for ever.
// Says so on stderr ("c2c-test: hung reading ..."), so a test can signal it then. With
// C2C_TEST_STALL=1 instead, such a file's reads never answer (a read promise that never settles),
// through c2c's own bounded reader, so that --read-timeout stops them; with C2C_TEST_STALL=kernel,
// each such read is an open() of the FIFO, which holds a thread of Node's pool (as a read from a
// drive that stopped answering), and is given up on by --read-timeout. For tests only: library code
// never reads C2C_TEST_*. Plain JavaScript over dist/, as slow-write-cli.mjs.
import { open } from "node:fs/promises";
import path from "node:path";
import { main } from "../../dist/pipeline/cli/main.js";
import { nodeEffects } from "../../dist/pipeline/effects-node.js";
import { chunksOf } from "../../dist/pipeline/files/open-file.js";

const fifo = process.env.C2C_TEST_HANG_FIFO ?? "";
const silent = { read: () => new Promise(() => {}), close: async () => {} };
const blocked = { read: () => open(fifo, "r").then(() => ({ bytesRead: 0 })), close: async () => {} };
const stuck = new Set();

function hungReads(effects) {
  return {
    ...effects,
    stuckReads: () => [...effects.stuckReads(), ...stuck],
    readStream: (p, range, options) =>
      !path.basename(p).includes("hang")
        ? effects.readStream(p, range, options)
        : process.env.C2C_TEST_STALL === "1"
          ? chunksOf(p, silent, 1000, effects.readLimits, range)
          : process.env.C2C_TEST_STALL === "kernel"
            ? chunksOf(p, blocked, 1000, effects.readLimits, range, (path) => stuck.add(path))
            : (async function* () {
                process.stderr.write(`c2c-test: hung reading ${p}\n`);
                await open(fifo, "r");
                yield* effects.readStream(p, range, options);
              })(),
  };
}

main(process.argv.slice(2), (log, limits) => hungReads(nodeEffects(log, limits))).then((code) => {
  process.exitCode = code;
});
