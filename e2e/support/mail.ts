import { readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Where the e2e server on `port` says its DATA_DIR is (it writes this file at start-up). */
export const dataDirPointer = (port: string | number) => join(tmpdir(), `gantry-e2e-${port}.datadir`);

/**
 * The newest mail to `email` whose subject contains `subject`, as the embedded file mailer wrote
 * it under DATA_DIR/mail; waits for it up to `timeoutMs` (mails are sent by jobs).
 */
export async function newestMail(baseURL: string, email: string, subject: string, timeoutMs = 10_000): Promise<string> {
  const port = new URL(baseURL).port;
  const dir = join((await readFile(dataDirPointer(port), "utf8")).trim(), "mail");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(`-${email}.eml`)).sort();
    for (const file of files.reverse()) {
      const text = await readFile(join(dir, file), "utf8");
      if (text.includes(`Subject: ${subject}`)) return text;
    }
    if (Date.now() > deadline) throw new Error(`no mail "${subject}" to ${email} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The path and query of the first link to this server in a mail (e.g. `/verify-email?token=…`). */
export function linkIn(mail: string, path: string): string {
  const match = mail.match(new RegExp(`https?://[^\\s/]+(${path.replace(/[?]/g, "\\?")}[^\\s]*)`));
  if (!match?.[1]) throw new Error(`no ${path} link in the mail`);
  return match[1];
}
