import { createTransport, type Transporter } from "nodemailer";
import type { Mail, Mailer } from "./mailer.js";

/** Sends through any SMTP server named by SMTP_URL (smtp://user:pass@host:port or smtps://). */
export class SmtpMailer implements Mailer {
  readonly kind = "smtp" as const;
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = createTransport(smtpUrl);
  }

  async send(mail: Mail): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text });
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
