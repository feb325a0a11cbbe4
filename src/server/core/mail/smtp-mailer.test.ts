import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../../testing/app.js";
import { drainJobs } from "../../testing/jobs.js";
import { SmtpMailer } from "./smtp-mailer.js";

/** The SMTP adapter against a real SMTP server started by the test. */

interface Received {
  from: string | undefined;
  to: string[];
  user: string | undefined;
  headers: Map<string, string>;
  body: string;
}

/** Just enough MIME for one text/plain part: unfolded headers and a decoded body. */
function parseMessage(raw: string): { headers: Map<string, string>; body: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers = new Map<string, string>();
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.slice(split + 4);
  if (headers.get("content-transfer-encoding")?.toLowerCase() === "quoted-printable") {
    const bytes = body
      .replace(/=\r\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    body = Buffer.from(bytes, "latin1").toString("utf8");
  }
  return { headers, body: body.replace(/\r\n/g, "\n").replace(/\n$/, "") };
}

describe("SmtpMailer", () => {
  const received: Received[] = [];
  let server: SMTPServer;
  let port: number;
  const credentials = { username: "gantry", password: "s3cret:with@symbols" };

  const mailTo = (address: string) => received.filter((mail) => mail.to.includes(address));

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      allowInsecureAuth: true,
      // Plain SMTP on localhost; the adapter must not need STARTTLS to deliver.
      disabledCommands: ["STARTTLS"],
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === credentials.username && auth.password === credentials.password) {
          callback(null, { user: auth.username });
        } else {
          callback(new Error("Invalid username or password"));
        }
      },
      onRcptTo(address, _session, callback) {
        if (address.address.endsWith("@refused.test")) callback(new Error("550 No such mailbox"));
        else callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          const { headers, body } = parseMessage(Buffer.concat(chunks).toString("utf8"));
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
            to: session.envelope.rcptTo.map((r) => r.address),
            user: session.user,
            headers,
            body,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it("delivers one mail with sender, recipient, subject and the exact text", async () => {
    const mailer = new SmtpMailer(`smtp://127.0.0.1:${port}`, "Gantry <no-reply@gantry.test>");
    const text = [
      "Hello Ana,",
      "",
      `A line longer than any SMTP line limit would like: ${"lighthouse ".repeat(12)}end.`,
      "https://gantry.example/reset-password#token=AbC_123-xyz",
      "Grüße — with non-ASCII characters.",
    ].join("\n");
    try {
      await mailer.send({ to: "ana@example.test", subject: "Reset your Gantry password", text });
    } finally {
      await mailer.close();
    }

    const [mail, ...others] = mailTo("ana@example.test");
    expect(others).toHaveLength(0);
    expect(mail?.from).toBe("no-reply@gantry.test");
    expect(mail?.to).toEqual(["ana@example.test"]);
    expect(mail?.headers.get("to")).toBe("ana@example.test");
    expect(mail?.headers.get("from")).toBe("Gantry <no-reply@gantry.test>");
    expect(mail?.headers.get("subject")).toBe("Reset your Gantry password");
    expect(mail?.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(mail?.body).toBe(text);
  });

  it("signs in with the credentials of the SMTP URL", async () => {
    const user = encodeURIComponent(credentials.username);
    const password = encodeURIComponent(credentials.password);
    const mailer = new SmtpMailer(`smtp://${user}:${password}@127.0.0.1:${port}`, "no-reply@gantry.test");
    try {
      await mailer.send({ to: "bo@example.test", subject: "Hi", text: "Hello" });
    } finally {
      await mailer.close();
    }
    expect(mailTo("bo@example.test")[0]?.user).toBe("gantry");

    const wrong = new SmtpMailer(`smtp://gantry:wrong@127.0.0.1:${port}`, "no-reply@gantry.test");
    try {
      await expect(wrong.send({ to: "cy@example.test", subject: "Hi", text: "Hello" })).rejects.toThrow();
    } finally {
      await wrong.close();
    }
    expect(mailTo("cy@example.test")).toHaveLength(0);
  });

  it("fails the send when the server refuses the recipient", async () => {
    const mailer = new SmtpMailer(`smtp://127.0.0.1:${port}`, "no-reply@gantry.test");
    try {
      await expect(mailer.send({ to: "nobody@refused.test", subject: "Hi", text: "Hello" })).rejects.toThrow();
    } finally {
      await mailer.close();
    }
  });

  it("carries a whole app's password reset link, and that link resets the password", async () => {
    const app = await createTestApp("embedded", {
      SMTP_URL: `smtp://127.0.0.1:${port}`,
      PUBLIC_URL: "https://gantry.example",
      MAIL_FROM: "Gantry <accounts@gantry.example>",
    });
    try {
      const { email } = await app.signup({ name: "Dee" });
      await app.caller().auth.requestPasswordReset({ email });
      await drainJobs(app.gantry.deps.queue);
      // A new account is also sent a verification mail: pick the reset one out.
      const mail = mailTo(email).find((sent) => sent.headers.get("subject") === "Reset your Gantry password");
      expect(mail?.from).toBe("accounts@gantry.example");
      expect(mail?.body).toMatch(/^Hello Dee,/);
      const token = mail?.body.match(/https:\/\/gantry\.example\/reset-password#token=([\w-]+)/)?.[1];
      expect(token).toBeDefined();
      await expect(
        app.caller().auth.resetPassword({ token: token ?? "", newPassword: "a freshly reset passphrase" }),
      ).resolves.toEqual({ ok: true });
      await expect(app.caller().auth.login({ email, password: "a freshly reset passphrase" })).resolves.toMatchObject({
        user: { email },
      });
    } finally {
      await app.close();
    }
  });
});
