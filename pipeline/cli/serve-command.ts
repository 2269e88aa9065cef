import { watch } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { OutputFolderError } from "../write/output-errors.ts";
import { checkOutFolder } from "../write/output-folder.ts";
import { runBuild } from "./build-command.ts";
import { type Command, type CommandContext, stringOption } from "./command.ts";

export const SERVE_HELP = `Usage: c2c serve [options]

Builds the project, serves its site on this computer (only), and builds again whenever a file of the
project changes, so you can watch the dashboard while you edit the configuration or add files.
Stop with Ctrl-C.

Options:
  --project DIR   the partnership's folder (default: .)
  --out DIR       where builds are written: a new or empty folder, or one c2c made (default:
                  PROJECT/out); the site served is OUT/site, which each build switches in whole
  --port N        the port to serve on (default: 8080; 0 picks a free one)
  -h, --help      show this help

Examples:
  c2c serve
  c2c serve --project fixtures/sample-community --port 3000
`;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** A static file server for one folder, on localhost; nothing outside the folder is ever served. */
export function serveFolder(root: string): Server {
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://localhost");
      let target = path.join(root, decodeURIComponent(url.pathname));
      if (!target.startsWith(root + path.sep) && target !== root) {
        res.writeHead(403).end("forbidden");
        return;
      }
      if ((await stat(target).catch(() => null))?.isDirectory()) target = path.join(target, "index.html");
      const body = await readFile(target);
      res.writeHead(200, {
        "content-type": TYPES[path.extname(target)] ?? "application/octet-stream",
        "cache-control": "no-store",
      });
      res.end(body);
    } catch {
      res
        .writeHead(404, { "content-type": "text/plain; charset=utf-8" })
        .end("not found: run the build, or check the address");
    }
  });
}

export async function runServe(
  options: { project: string; out: string | undefined; port: number },
  ctx: CommandContext,
): Promise<number> {
  const out = path.resolve(options.out ?? path.join(options.project, "out"));
  const project = path.resolve(options.project);
  // A refused --out would fail every build: say so once, and serve nothing.
  try {
    await checkOutFolder(out, options.project, ctx.effects);
  } catch (e) {
    if (!(e instanceof OutputFolderError)) throw e;
    ctx.effects.log.warn(`serve: ${e.format()}`);
    return 1;
  }
  // A failed build keeps the previous site served; the next change tries again.
  const rebuild = () =>
    runBuild(
      {
        project: options.project,
        out,
        year: undefined,
        only: [],
        json: false,
        explain: false,
        c2cRoot: ctx.c2cRoot,
        version: ctx.version,
        buildDate: ctx.buildDate,
      },
      ctx.effects,
      ctx.stdout,
      ctx.terminal,
    ).catch((e: unknown) => {
      ctx.effects.log.warn(
        `serve: the build failed: ${e instanceof Error ? e.message : String(e)}; still serving the last site.`,
      );
      return 1;
    });
  await rebuild();
  const server = serveFolder(path.join(out, "site"));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  ctx.effects.log.info(
    `Serving ${path.join(out, "site")} at http://127.0.0.1:${port}/ (Ctrl-C to stop). Watching ${project} for changes.`,
  );

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = false;
  const onChange = (name: string | Buffer | null) => {
    const changed = name === null ? "" : path.join(project, name.toString());
    if (changed.startsWith(out + path.sep) || changed === out || /(^|[/\\])\./.test(name?.toString() ?? "")) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(async () => {
      await running;
      ctx.effects.log.info(`\n${path.relative(project, changed) || "the project"} changed; building again.`);
      running = rebuild();
      await running;
    }, 300);
  };
  // Watching a folder whose subfolders come and go (a build's staging folder, when out/ is inside
  // the project) can fail as a folder vanishes: the watch starts again, rather than the server dying.
  const startWatching = (): ReturnType<typeof watch> => {
    const w = watch(project, { recursive: true }, (_event, name) => onChange(name));
    w.on("error", () => {
      w.close();
      if (!stopped) setTimeout(() => (watcher = startWatching()), 200);
    });
    return w;
  };
  let watcher = startWatching();
  await new Promise<void>((resolve) => {
    const stop = () => {
      stopped = true;
      watcher.close();
      server.close(() => resolve());
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  return 0;
}

export const serveCommand: Command = {
  name: "serve",
  summary: "preview the site on this computer, building again when a project file changes",
  help: SERVE_HELP,
  options: {
    project: { type: "string", default: "." },
    out: { type: "string" },
    port: { type: "string", default: "8080" },
  },
  positionals: { min: 0, max: 0, usage: "takes no file names; use --project DIR" },
  ownSignals: true,
  async run(args, ctx) {
    const port = Number(stringOption(args, "port"));
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      ctx.effects.log.warn("serve: --port takes a port number from 0 to 65535.");
      return 2;
    }
    return runServe({ project: stringOption(args, "project") ?? ".", out: stringOption(args, "out"), port }, ctx);
  },
};
