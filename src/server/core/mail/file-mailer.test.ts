import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../logger.js";
import { FileMailer, linksIn } from "./file-mailer.js";

/** Log records as the process would print them (JSON lines), collected in memory. */
function capturedLogger() {
  const lines: Array<{ msg: string; to?: string }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger({ logLevel: "info", env: "development" }, destination), lines };
}

describe("the development file mailer", () => {
  let directory: string | undefined;
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it("writes the whole mail to a file and logs the reset link alone on its own line", async () => {
    directory = await mkdtemp(join(tmpdir(), "gantry-mail-"));
    const { logger, lines } = capturedLogger();
    const link = "http://localhost:3000/reset-password#token=abc%2Fdef";
    const mailer = new FileMailer(directory, "gantry@example.test", logger);
    await mailer.send({
      to: "ada@example.test",
      subject: "Reset your Gantry password",
      text: `Hello Ada,\n\nopen this link within 30 minutes:\n\n${link}\n\nIf it was not you, ignore this email.\n`,
    });
    logger.flush();

    const [file] = await readdir(directory);
    expect(await readFile(join(directory, file ?? ""), "utf8")).toContain(link);
    // One line says what was sent and where; the next holds the link and nothing else.
    expect(lines.map((line) => line.msg)).toEqual([
      expect.stringContaining('"Reset your Gantry password" to ada@example.test written to'),
      link,
    ]);
    expect(lines.every((line) => !line.msg.includes("\n"))).toBe(true);
  });

  it("finds every link of a plain-text mail, and none in text without one", () => {
    expect(linksIn("a https://x.test/a b\nhttp://y.test/b?c=1\n")).toEqual(["https://x.test/a", "http://y.test/b?c=1"]);
    expect(linksIn("no links here")).toEqual([]);
  });
});
