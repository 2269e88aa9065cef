import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["pipeline/**/*.test.ts", "schemas/**/*.test.ts", "scripts/**/*.test.ts"],
    env: { TZ: "UTC" },
    testTimeout: 60_000,
  },
});
