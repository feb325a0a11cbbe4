import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../logger.js";
import type { Mail, Mailer } from "./mailer.js";

/**
 * Development mailer for embedded mode: each mail becomes a file under `.data/mail/` and
 * its text is logged, so a newcomer can follow a reset link without an SMTP server.
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
    this.logger.info({ to: mail.to, file }, `mail written to ${file}:\n${mail.text}`);
  }

  async close(): Promise<void> {}
}
