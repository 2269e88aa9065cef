import { DuckDBInstance } from "@duckdb/node-api";

/**
 * The reference the benchmark compares with: DuckDB reading the same file and aggregating third-grade
 * reading and eighth-grade math by district and each subgroup dimension (GROUPING SETS, 2 threads).
 * It validates nothing and maps no codes: the floor of what any tool can do.
 */
const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: duckdb-aggregate FILE.csv\n");
  process.exit(2);
}
const yes = (c: string) => `lower(${c}) IN ('y', 'yes', '1')`;
const sql = `
SELECT district_id, race_ethnicity, gender, economic_disadvantage, english_learner, disability,
  count(*) FILTER (WHERE grade = '3' AND lower(subject) = 'ela' AND ${yes("tested")}) AS reading_den,
  count(*) FILTER (WHERE grade = '3' AND lower(subject) = 'ela' AND ${yes("tested")} AND ${yes("proficient")}) AS reading_num,
  count(*) FILTER (WHERE grade = '8' AND lower(subject) = 'math' AND ${yes("tested")}) AS math_den,
  count(*) FILTER (WHERE grade = '8' AND lower(subject) = 'math' AND ${yes("tested")} AND ${yes("proficient")}) AS math_num
FROM read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = true)
GROUP BY GROUPING SETS ((district_id), (district_id, race_ethnicity), (district_id, gender),
  (district_id, economic_disadvantage), (district_id, english_learner), (district_id, disability))`;

const db = await DuckDBInstance.create(":memory:", { threads: "2" });
const connection = await db.connect();
const result = await connection.runAndReadAll(sql);
process.stdout.write(`${result.getRows().length} groups\n`);
