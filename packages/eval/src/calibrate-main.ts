// `pnpm calibrate` entry: the only file of the command that reads the process environment.
import { calibrateMain } from "./calibrate-cli.ts";

process.exitCode = await calibrateMain(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.env.INIT_CWD ?? process.cwd(),
});
