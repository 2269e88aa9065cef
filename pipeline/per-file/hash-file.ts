import { createHash } from "node:crypto";
import type { Effects } from "../effects.ts";

/** The sha256 of a file, streamed; used when reading stopped early. */
export async function hashFile(path: string, effects: Effects): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of effects.readStream(path)) hash.update(chunk);
  return hash.digest("hex");
}
