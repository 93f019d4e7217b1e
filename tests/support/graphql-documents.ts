/**
 * Finds every GraphQL document the app sends (template literals tagged with a
 * leading `#graphql`, the convention codegen reads) and checks it against a
 * schema the way Shopify's server would before running it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse, validate, type GraphQLSchema, Kind } from "graphql";

export interface FoundDocument {
  file: string;
  line: number;
  source: string;
}

const SKIP_DIRS = new Set(["node_modules", "types", "build"]);

export function listSourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return SKIP_DIRS.has(name) ? [] : listSourceFiles(full);
    return /\.(ts|tsx|js|jsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

export function findDocuments(file: string): FoundDocument[] {
  const text = readFileSync(file, "utf8");
  const found: FoundDocument[] = [];
  for (const match of text.matchAll(/`(#graphql[\s\S]*?)`/g)) {
    const line = text.slice(0, match.index).split("\n").length;
    found.push({ file, line, source: match[1]! });
  }
  return found;
}

/** Problems with one document: syntax, schema validation, unnamed operations. */
export function checkDocument(schema: GraphQLSchema, document: FoundDocument): string[] {
  const where = `${document.file}:${document.line}`;
  if (document.source.includes("${")) {
    return [`${where}: interpolation in a #graphql document; codegen cannot type it`];
  }
  let ast;
  try {
    ast = parse(document.source);
  } catch (error) {
    return [`${where}: ${(error as Error).message}`];
  }
  const problems = validate(schema, ast).map((error) => `${where}: ${error.message}`);
  for (const definition of ast.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && !definition.name) {
      problems.push(`${where}: every operation must be named so codegen can type it`);
    }
  }
  return problems;
}
