// The c2c command line with every write, rename, removal and link announced on stderr and
// delayed, so a test can kill the build at a chosen step of stage 10; each partner file streamed is
// announced too (not delayed), to show what was read. For tests only: library code
// never reads C2C_TEST_WRITE_DELAY_MS. Plain JavaScript over dist/, since test-support is not compiled.
import { main } from "../../dist/pipeline/cli/main.js";
import { nodeEffects } from "../../dist/pipeline/effects-node.js";

const delay = Number(process.env.C2C_TEST_WRITE_DELAY_MS ?? 0);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function slowWrites(effects) {
  const step =
    (op, run, paths) =>
    async (...args) => {
      process.stderr.write(`c2c-test: ${op} ${args.slice(0, paths).join(" -> ")}\n`);
      await sleep(delay);
      return run(...args);
    };
  return {
    ...effects,
    writeFile: step("write", effects.writeFile, 1),
    rename: step("rename", effects.rename, 2),
    remove: step("remove", effects.remove, 1),
    symlink: step("symlink", effects.symlink, 2),
    readStream: (p, range) => {
      process.stderr.write(`c2c-test: stream ${p}\n`);
      return effects.readStream(p, range);
    },
  };
}

main(process.argv.slice(2), (log) => slowWrites(nodeEffects(log))).then((code) => {
  process.exitCode = code;
});
