/** What `c2c check` was asked to do, from its command line. */
export interface CheckOptions {
  file: string;
  schema: string | undefined;
  partner: string | undefined;
  project: string | undefined;
  /** `--year`: the year the file is for, when it is not in a `data/<year>/` folder. */
  year?: number | undefined;
  suppressed: string[];
  json: boolean;
  report: string | undefined;
  maxLines: number;
  c2cRoot: string;
  version: string;
  buildDate: string;
}
