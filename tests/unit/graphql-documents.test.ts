import path from "node:path";
import { describe, expect, it } from "vitest";
import { adminSchema } from "../support/admin-schema";
import { checkDocument, findDocuments, listSourceFiles } from "../support/graphql-documents";

const appDir = path.resolve(__dirname, "../../app");

describe("GraphQL documents against the Admin API 2026-10 schema", () => {
  const documents = listSourceFiles(appDir).flatMap(findDocuments);

  it("finds the app's documents", () => {
    // GIVEN the app's sources WHEN scanned THEN the known operations are among them
    const names = documents.map((doc) => /(query|mutation)\s+(\w+)/.exec(doc.source)?.[2]);
    expect(names).toEqual(
      expect.arrayContaining([
        "ShopDetails",
        "BackfillOrders",
        "RunBulkQuery",
        "BulkOperationStatus",
        "CancelBulkOperation",
        "MainThemeFiles",
      ]),
    );
  });

  it("every document in app/ is valid, named and free of interpolation", () => {
    const problems = documents.flatMap((doc) => checkDocument(adminSchema(), doc));
    expect(problems).toEqual([]);
  });

  it("rejects a document with a field the schema lacks", () => {
    // GIVEN a fixture with a misspelled field
    const fixture = path.resolve(__dirname, "../fixtures/graphql/misspelled-field.ts");
    const [broken] = findDocuments(fixture);
    // WHEN checked THEN the problem names the field and the type
    expect(checkDocument(adminSchema(), broken!)).toEqual([
      expect.stringContaining('Cannot query field "currencyCod" on type "Shop"'),
    ]);
  });

  it("rejects unnamed operations and interpolated documents", () => {
    const unnamed = { file: "x.ts", line: 1, source: "#graphql\n{ shop { name } }" };
    const interpolated = { file: "y.ts", line: 1, source: "#graphql\nquery A { shop { ${fields} } }" };
    expect(checkDocument(adminSchema(), unnamed)).toEqual([expect.stringContaining("must be named")]);
    expect(checkDocument(adminSchema(), interpolated)).toEqual([expect.stringContaining("interpolation")]);
  });
});
