import { describe, expect, it } from "vitest";
import { attachmentName, routeErrorMessage } from "./routeErrors";

describe("routeErrorMessage", () => {
  it("passes on the server's own words", () => {
    const body = JSON.stringify({
      error: { code: "TOO_LARGE", message: "The file is larger than the 1 GB an upload may be." },
    });
    expect(routeErrorMessage(413, body, "upload")).toBe("The file is larger than the 1 GB an upload may be.");
  });

  it("explains an answer without words", () => {
    expect(routeErrorMessage(502, "<html>Bad gateway</html>", "download")).toBe(
      "The download failed (HTTP 502). Please try again.",
    );
    expect(routeErrorMessage(0, "", "upload")).toMatch(/Cannot reach the server/);
    expect(routeErrorMessage(401, "", "upload")).toBe("Please sign in again to upload.");
  });
});

describe("attachmentName", () => {
  it("reads the file name a download announces", () => {
    expect(attachmentName('attachment; filename="city_totals.csv"')).toBe("city_totals.csv");
    expect(attachmentName("attachment; filename=plain.csv")).toBe("plain.csv");
    expect(attachmentName("attachment")).toBeNull();
    expect(attachmentName(null)).toBeNull();
  });
});
