import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../logger.js";
import type { Mail, Mailer } from "./mailer.js";

/**
 * Development mailer for embedded mode: each mail becomes a file under `.data/mail/` and
 * each link in it is logged on a line of its own, so a newcomer can follow a reset link
 * without an SMTP server.
 */
export class FileMailer implements Mailer {
  readonly kind = "file" as const;

  constructor(
    private readonly directory: string,
    private readonly from: string,
    private readonly logger: Logger,
  ) {}

  async send(mail: Mail): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const safeTo = mail.to.replace(/[^a-z0-9@._-]/gi, "_");
    // Time first so a listing sorts by sending order; the random part keeps two mails sent in
    // the same millisecond from overwriting each other.
    const stamp = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(3).toString("hex")}`;
    const file = join(this.directory, `${stamp}-${safeTo}.eml`);
    const message = `From: ${this.from}\nTo: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n`;
    await writeFile(file, message, { mode: 0o600 });
    this.logger.info({ to: mail.to, file }, `mail "${mail.subject}" to ${mail.to} written to ${file}`);
    // Each link on a log line of its own, nothing else on it: easy to spot and to copy out of
    // the development log, pretty or JSON (the whole text is in the file).
    for (const link of linksIn(mail.text)) this.logger.info({ to: mail.to }, link);
  }

  async close(): Promise<void> {}
}

/** The http(s) links of a plain-text mail, in order. */
export function linksIn(text: string): string[] {
  return text.match(/https?:\/\/\S+/g) ?? [];
}
