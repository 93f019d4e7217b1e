/**
 * The validated environment, read once at boot. A missing or malformed
 * variable stops start-up with one message that lists every problem.
 * The variables themselves are defined in ./env-schema.server.ts.
 */
import { EnvError, parseEnv, type Env } from "./env-schema.server";

export type { Env };

function loadEnv(): Env {
  try {
    return parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError && !process.env.VITEST) {
      // One clear message and a non-zero exit, instead of a stack trace from
      // whichever module happened to read a variable first.
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

export const env: Env = loadEnv();
