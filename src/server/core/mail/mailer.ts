/** One outgoing email. Plain text keeps links copyable and avoids HTML injection. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** The mailer port: SMTP in services mode, files under .data/mail/ when embedded. */
export interface Mailer {
  readonly kind: "smtp" | "file";
  send(mail: Mail): Promise<void>;
  close(): Promise<void>;
}
