import type { District, ExtractMapping, ExtractSchema } from "../../schemas/index.ts";
import { type Issue, type IssueLocation, makeIssue } from "../issues/catalogue.ts";
import { normalizeLabel } from "../values/parse-values.ts";
import type { RecordGet } from "./source-columns.ts";

/**
 * The rows a mapping leaves out, and why: a `keep` rule they fail, or (`skipOtherDistricts`) a
 * place that is not among the partnership's districts. Counted as they pass, told once (`report`).
 */
export class RowsLeftOut {
  private readonly tests: ((text: string) => boolean)[];
  private readonly leftOut: number[];
  private readonly districtKeys: Set<string>;
  private readonly districtField: number;
  private otherDistricts = 0;
  private readonly otherExamples = new Set<string>();

  constructor(
    private readonly mapping: ExtractMapping,
    private readonly schema: ExtractSchema,
    districts: readonly District[],
  ) {
    this.leftOut = mapping.keep.map(() => 0);
    this.tests = mapping.keep.map((k) => {
      if (k.values) {
        const allowed = new Set(k.values.map((v) => v.trim()));
        return (text: string) => allowed.has(text.trim());
      }
      const re = new RegExp(k.pattern as string, "u");
      return (text: string) => re.test(text);
    });
    this.districtKeys = new Set(districts.flatMap((d) => [d.id, d.name, ...d.codes]).map((c) => normalizeLabel(c)));
    this.districtField = schema.roles.district ? schema.fields.findIndex((f) => f.name === schema.roles.district) : -1;
  }

  /** Whether a source row passes every `keep` rule (a row that fails one is counted against it). */
  keeps(get: RecordGet): boolean {
    for (let k = 0; k < this.tests.length; k++) {
      if (!this.tests[k]!(get(this.mapping.keep[k]!.column) ?? "")) {
        this.leftOut[k]!++;
        return false;
      }
    }
    return true;
  }

  /** Whether a target row is of another place than the partnership's districts, when the mapping skips those. */
  isOtherDistrict(cells: readonly string[]): boolean {
    if (!this.mapping.skipOtherDistricts || this.districtField < 0) return false;
    const district = cells[this.districtField] ?? "";
    if (district.trim() === "" || this.districtKeys.has(normalizeLabel(district))) return false;
    this.otherDistricts++;
    if (this.otherExamples.size < 3) this.otherExamples.add(district.trim());
    return true;
  }

  /** The rows left out, one issue per reason. */
  report(issues: Issue[], where: IssueLocation): void {
    this.mapping.keep.forEach((k, i) => {
      const count = this.leftOut[i]!;
      if (count > 0)
        issues.push(
          makeIssue(
            "rows-left-out",
            { ...where, column: k.column },
            {
              count,
              column: k.column,
              detail:
                k.reason ??
                `their \`${k.column}\` is not ${k.values ? k.values.map((v) => `\`${v}\``).join(" or ") : `matched by \`${k.pattern}\``}`,
            },
          ),
        );
    });
    if (this.otherDistricts > 0)
      issues.push(
        makeIssue(
          "rows-left-out",
          { ...where, column: this.schema.roles.district ?? null },
          {
            count: this.otherDistricts,
            detail: `they are of places that are not among the partnership's districts in c2c.config.yaml (e.g. ${[...this.otherExamples].map((e) => `\`${e}\``).join(", ")})`,
          },
        ),
      );
  }
}
