import { describe, expect, it } from "vitest";
import { ConfigSchema, PartnerSchema } from "../../schemas/index.ts";
import { memoryEffects } from "../effects-memory.ts";
import { loadProject } from "../load/load-project.ts";
import { processPartnerFile } from "../per-file/process-partner-file.ts";
import { REPO_ROOT } from "../test-support/load-fixture.ts";
import { templatesFor } from "./extract-templates.ts";

/** c2c's own extract schemas, loaded as a partner checking files alone would load them. */
async function defaults(csvs: Record<string, string> = {}) {
  const effects = memoryEffects(Object.fromEntries(Object.entries(csvs).map(([k, v]) => [`/work/${k}`, v])), {
    readDisk: true,
  });
  const config = ConfigSchema.parse({
    partnership: { name: "P", introduction: "I" },
    community: { id: "town", name: "Town" },
  });
  const partner = PartnerSchema.parse({
    id: "partner",
    name: "Partner",
    kind: "service-provider",
    extracts: [{ schema: "outcome-counts", files: "*" }],
  });
  return { effects, project: await loadProject("/work", REPO_ROOT, effects, { config, partners: [partner] }) };
}

describe("extract templates", () => {
  it("gives every extract a template whose example row the build accepts as it stands", async () => {
    const { project } = await defaults();
    const csvs = Object.fromEntries(
      [...project.extracts.values()].map((s) => [`${s.id}.csv`, templatesFor(s, project.vocabularies).csv]),
    );
    const { effects, project: withFiles } = await defaults(csvs);
    for (const schema of withFiles.extracts.values()) {
      const extract = { ...withFiles.partners[0]!.extracts[0]!, schema: schema.id };
      const { result } = await processPartnerFile(
        { path: `${schema.id}.csv`, partner: "partner", year: null, extract },
        withFiles,
        effects,
      );
      expect(
        result.issues.filter((i) => i.severity !== "info"),
        schema.id,
      ).toEqual([]);
      expect(result.rowsAccepted, schema.id).toBe(1);
    }
  });

  it("describes the same columns in the CSV, the JSON Schema, the Table Schema and the dictionary", async () => {
    const { project } = await defaults();
    for (const schema of project.extracts.values()) {
      const t = templatesFor(schema, project.vocabularies);
      const names = schema.fields.map((f) => f.name);
      expect(t.csv.split("\n")[0]?.split(","), schema.id).toEqual(names);
      const table = JSON.parse(t.tableSchema) as { fields: { name: string }[] };
      expect(table.fields.map((f) => f.name)).toEqual(names);
      const json = JSON.parse(t.jsonSchema) as { properties: Record<string, unknown> };
      expect(Object.keys(json.properties).sort()).toEqual([...names].sort());
      for (const n of names) expect(t.dictionary).toContain(`<code>${n}</code>`);
    }
  });
});
