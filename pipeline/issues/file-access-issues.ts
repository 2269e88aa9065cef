import type { CatalogueEntry } from "./catalogue.ts";

/**
 * The part of the catalogue about reaching a file at all: what c2c found in place of a regular file
 * inside the project (and so never opened), and reads it stopped. Spread into `ISSUE_CATALOGUE`.
 */

const q = (v: string | undefined) => (v === undefined ? "" : `\`${v}\``);
const n = (v: number | undefined) => (v === undefined ? "" : v.toLocaleString("en-US"));

export const FILE_ACCESS_ISSUES = {
  "special-file": {
    severity: "error",
    message: (p) => `This is ${p.detail ?? "an entry of an unknown kind"}, not a regular file, so c2c did not open it.`,
    fix: () =>
      "Save or copy the extract as an ordinary file (not a pipe, a device or a socket) and use that instead: c2c reads only regular files.",
  },
  "link-outside-project": {
    severity: "error",
    message: (p) => `This is a symbolic link to ${q(p.value)}, outside the project folder, so c2c did not open it.`,
    fix: () =>
      "Put the file itself (for a folder, its files) here in place of the link: c2c reads only what is inside the project folder.",
  },
  "link-loop": {
    severity: "error",
    message: () => "This is a symbolic link that leads, through links, back to itself, so there is no file to read.",
    fix: () => "Replace the link with the file itself, or remove it.",
  },
  "link-to-folder": {
    severity: "error",
    message: (p) =>
      `This is a symbolic link to the folder ${q(p.value)}; c2c does not follow links to folders, so the files there were not read.`,
    fix: () => "Move or copy the files themselves into this folder in place of the link.",
  },
  "permission-denied": {
    severity: "error",
    message: (p) =>
      p.detail === "folder"
        ? "c2c has no permission to read this folder, so none of its files were read."
        : "c2c has no permission to read this file, so it was not read.",
    fix: (p) =>
      `Let the account that runs c2c read it (for example \`chmod ${p.detail === "folder" ? "-R a+rX" : "a+r"}\` on it, or ask whoever manages the drive), then run c2c again.`,
  },
  "file-too-large": {
    severity: "error",
    message: (p) =>
      p.detail === "grew"
        ? `The file grew past ${p.expected}, the most c2c reads of one file, while it was read, so none of it was used.`
        : `The file is ${p.value}, more than the ${p.expected} c2c reads of one file, so it was not read.`,
    fix: (p) =>
      `If this is the right file, run c2c again with \`--max-size ${p.other ?? "40GB"}\`; if it was still being written, wait until it is complete.`,
  },
  "read-stalled": {
    severity: "error",
    message: (p) =>
      `Reading the file brought nothing for ${p.count === 1 ? "1 second" : `${n(p.count)} seconds`}, so c2c stopped reading it and used none of it.`,
    fix: () =>
      "Check the drive the file is on (a network drive may have stopped answering) or copy the file to this computer, then run c2c again; `--read-timeout` gives a slow drive longer.",
  },
} satisfies Record<string, CatalogueEntry>;
