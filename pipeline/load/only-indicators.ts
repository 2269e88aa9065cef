import type { Project } from "./load-project.ts";

/** The project with only the chosen indicators (and the feeds into them). Unknown ids are a usage error. */
export function onlyIndicators(project: Project, only: readonly string[] | undefined): Project {
  if (!only || only.length === 0) return project;
  const unknown = only.filter((id) => !project.indicators.some((i) => i.id === id));
  if (unknown.length > 0)
    throw new UnknownIndicatorError(
      unknown,
      project.indicators.map((i) => i.id),
    );
  const keep = new Set(only);
  return {
    ...project,
    // A relation to an indicator left out relates nothing that is published.
    indicators: project.indicators
      .filter((i) => keep.has(i.id))
      .map((i) => ({ ...i, relations: i.relations.filter((r) => keep.has(r.of)) })),
    feeds: new Map(
      [...project.feeds].map(([schema, feeds]) => [schema, feeds.filter((f) => keep.has(f.indicator.id))]),
    ),
  };
}

/** `--only` named an indicator the project does not have. */
export class UnknownIndicatorError extends Error {
  constructor(
    readonly unknown: string[],
    readonly known: string[],
  ) {
    super(`there is no indicator ${unknown.map((u) => `\`${u}\``).join(", ")}; use one of: ${known.join(", ")}`);
  }
}
