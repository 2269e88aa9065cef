// The c2c command line on a disk that fails, as a full or locked one does: every write, folder,
// link, rename or lock under C2C_TEST_FAULT_UNDER, after the first C2C_TEST_FAULT_AFTER of them,
// fails with the system error C2C_TEST_FAULT (ENOSPC, EACCES, EROFS…); C2C_TEST_FAULT_OPS names the
// operations that fail (default all; `symlink` alone makes a disk without links, ENOTSUP). Reads
// and removals work, as on a full disk. For tests only: library code never reads these variables. Plain JavaScript over
// dist/, since test-support is not compiled.
import { main } from "../../dist/pipeline/cli/main.js";
import { nodeEffects } from "../../dist/pipeline/effects-node.js";

const code = process.env.C2C_TEST_FAULT ?? "ENOSPC";
const under = process.env.C2C_TEST_FAULT_UNDER ?? "/";
const after = Number(process.env.C2C_TEST_FAULT_AFTER ?? 0);
const ops = (process.env.C2C_TEST_FAULT_OPS ?? "writeFile,makeFolder,symlink,rename,createExclusive").split(",");
let calls = 0;

function failing(effects) {
  const guard =
    (run, op) =>
    async (...args) => {
      if (!ops.includes(op)) return run(...args);
      const target = String(args[args.length === 1 ? 0 : run === effects.symlink ? 1 : 0]);
      if (target.startsWith(under) && ++calls > after)
        throw Object.assign(new Error(`${code}: simulated fault, '${target}'`), { code, path: target });
      return run(...args);
    };
  return {
    ...effects,
    writeFile: guard(effects.writeFile, "writeFile"),
    makeFolder: guard(effects.makeFolder, "makeFolder"),
    symlink: guard(effects.symlink, "symlink"),
    rename: guard(effects.rename, "rename"),
    createExclusive: guard(effects.createExclusive, "createExclusive"),
  };
}

main(process.argv.slice(2), (log) => failing(nodeEffects(log))).then((exit) => {
  process.exitCode = exit;
});
