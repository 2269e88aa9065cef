import { readLimitsHelp } from "../files/read-limits.ts";

/** `c2c build --help`. */
export const BUILD_HELP = `Usage: c2c build [options]

Reads every partner file in PROJECT/data/<year>/<partner>/, checks it against its extract schema,
aggregates the indicators, hides small numbers, and writes:

  OUT/site/                   PUBLIC: the dashboard; open OUT/site/index.html. Publish this folder
                              only, copying what it holds (rsync -a OUT/site/ DEST/; see the README)
  OUT/private/                NEVER PUBLISH: what is for the analyst and the partners alone
    partners/<id>/report.*    each partner's data check (send it to that partner only)
    build.json                what went in (with checksums) and what came out
    explain/                  with --explain: each stage's tables, unsuppressed

OUT is c2c's own folder: c2c makes it (or takes an empty one), marks it, and writes there only
site, private, .c2c and .c2c-lock. It refuses a folder of other files, /, your home folder, the
project folder, and anything in data/, before reading any partner file.

The new build replaces the old one only once it is complete, in one step: OUT/site and OUT/private
are links to the current build in OUT/.c2c/builds/, switched by one rename, so at no instant is
the site missing or half old, half new (where the disk has no links, as on Windows, they are real
folders swapped by two renames). The build before stays in OUT/.c2c/builds/ until the next one. A
failed build (a full disk too) leaves OUT as it was; the next build clears what a killed one left.
One build at a time writes OUT: a second one stops at once, naming the first (its lock is
OUT/.c2c-lock). Check a built OUT, or a copy of its site, with c2c verify.

Options:
  --project DIR      the partnership's folder, holding c2c.config.yaml (default: .)
  --out DIR          where to write: a new or empty folder, or one c2c made (default: PROJECT/out)
  --year YEAR        publish figures through this year only (default: the latest with data)
  --only ID          build only this indicator; repeat for more (e.g. --only employment)
  --engine NAME      where rows are counted: builtin (default; in memory as files stream, with a
                     file's keys on disk from 256 MB on, the faster one) or duckdb (out of core
                     in a temporary DuckDB database). Every cell is validated by c2c either way;
                     the figures are the same.
                     Also \`engine:\` in c2c.config.yaml.
  --threads N        read partner files in up to N threads (default: one per core, at most 4;
                     builtin engine only): several files of 32 MB or more in all, a file to a
                     thread; one record-level file of 16 MB or more, in N parts at once. The
                     result is the same. --threads 1 reads one file after another.
  --json             print the summary as JSON on stdout, for scripts
  --explain          also write each stage's tables to OUT/private/explain/ (unsuppressed counts);
                     a build without it leaves none
${readLimitsHelp(21)}
  --debug            show a stack trace on an unexpected failure
  -h, --help         show this help

Exit status: 0 when the site was written, 1 when it was not (OUT refused, a disk fault, a project to
fix) or when partners.yaml needs a fix (a mapping reads a column a partner's file does not have:
the site is written without that file's rows), 2 for a mistake in the command. Ctrl-C or SIGTERM
stops it at once, leaving OUT as it was (status 130, 143).

c2c reads only regular files inside the project: a link that leads out of it, a FIFO, a device,
a socket, a folder c2c may not read, is never opened, and is an error in that partner's report.

Examples:
  c2c build
  c2c build --project fixtures/sample-community --out out
  c2c build --only early-grade-reading --year 2024 --explain
  c2c build --engine duckdb

Environment:
  SOURCE_DATE_EPOCH   the build date, in seconds since 1970 (default: today), for reproducible sites
  NO_COLOR            no colours
`;
