import { describe, expect, it } from "vitest";
import { defaultDatasetName, formatOfFileName, uploadRequestFor } from "./uploadRequest";

describe("uploadRequestFor", () => {
  it("names the format from the file name, whatever the browser calls the file", () => {
    const request = uploadRequestFor(
      { name: "sales.csv", type: "application/vnd.ms-excel" },
      { name: " Sales 2024 ", skipInvalid: false },
    );
    const url = new URL(request.url, "http://gantry.test");
    expect(url.pathname).toBe("/api/datasets");
    expect(url.searchParams.get("name")).toBe("Sales 2024");
    expect(url.searchParams.get("format")).toBe("csv");
    expect(url.searchParams.get("fileName")).toBe("sales.csv");
    expect(url.searchParams.has("skipInvalid")).toBe(false);
    expect(request.contentType).toBe("text/csv");
  });

  it("asks to skip invalid rows only when the box is ticked", () => {
    const request = uploadRequestFor({ name: "events.jsonl", type: "" }, { name: "Events", skipInvalid: true });
    const url = new URL(request.url, "http://gantry.test");
    expect(url.searchParams.get("skipInvalid")).toBe("true");
    expect(url.searchParams.get("format")).toBe("jsonl");
    expect(request.contentType).toBe("application/x-ndjson");
  });

  it("leaves an unknown file to the server, which says what it cannot read", () => {
    const request = uploadRequestFor({ name: "sheet.xlsx", type: "" }, { name: "Sheet", skipInvalid: false });
    expect(new URL(request.url, "http://gantry.test").searchParams.has("format")).toBe(false);
    expect(request.contentType).toBe("application/octet-stream");
  });
});

describe("formatOfFileName", () => {
  it("knows CSV and JSON Lines by their extensions", () => {
    expect(formatOfFileName("a.CSV")).toBe("csv");
    expect(formatOfFileName("a.ndjson")).toBe("jsonl");
    expect(formatOfFileName("a.json")).toBeNull();
    expect(formatOfFileName("csv")).toBeNull();
  });
});

describe("defaultDatasetName", () => {
  it("drops the extension", () => {
    expect(defaultDatasetName("sales.2024.csv")).toBe("sales.2024");
    expect(defaultDatasetName(".csv")).toBe(".csv");
  });
});
