/**
 * Generates `fixtures/sample-community/`: the fictional River Valley Cradle to Career Partnership,
 * five partners and five years of their files, from a seeded random generator so the fixture is the
 * same on every machine. Every file is clean except one partner's 2025 file, which carries a few
 * deliberate mistakes so its partner report has something to show.
 *
 *   npm run generate:sample
 */
import { packageRoot } from "../pipeline/package-root.ts";
import { generateSampleCommunity, SAMPLE_DIR, writeSampleCommunity } from "./sample/build-sample-community.ts";

const files = generateSampleCommunity();
writeSampleCommunity(packageRoot(), files);
const bytes = [...files.values()].reduce((n, t) => n + Buffer.byteLength(t), 0);
process.stdout.write(`wrote ${files.size} files (${(bytes / 1e6).toFixed(1)} MB) to ${SAMPLE_DIR}/\n`);
