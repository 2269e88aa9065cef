import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * How to run a command as a user who is not root, for tests of permissions (root reads a file
 * whatever its mode bits, and CI runs tests as root): the words to put before the command, `[]`
 * when the tests do not run as root, null when there is no way (no `setpriv` or `runuser`).
 */
export function asOtherUser(): string[] | null {
  if (process.getuid?.() !== 0) return [];
  const id = (flag: string) => spawnSync("id", [flag, "nobody"], { encoding: "utf8" }).stdout.trim();
  const uid = id("-u");
  const gid = id("-g");
  if (uid === "" || gid === "") return null;
  for (const dir of ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]) {
    if (existsSync(`${dir}/setpriv`)) return [`${dir}/setpriv`, `--reuid=${uid}`, `--regid=${gid}`, "--clear-groups"];
  }
  for (const dir of ["/usr/sbin", "/sbin", "/usr/bin"]) {
    if (existsSync(`${dir}/runuser`)) return [`${dir}/runuser`, "-u", "nobody", "--"];
  }
  return null;
}

export const OTHER_USER_MISSING = `
  ╔══════════════════════════════════════════════════════════════════════╗
  ║ Permission tests SKIPPED: they run as root, who reads any file, and  ║
  ║ neither setpriv nor runuser is here to run them as nobody. They run, ║
  ║ and must pass, under CI=true.                                        ║
  ╚══════════════════════════════════════════════════════════════════════╝`;
