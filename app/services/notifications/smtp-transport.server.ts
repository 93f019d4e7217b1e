/**
 * Sends one email through the shop's SMTP server with nodemailer
 * (https://nodemailer.com/smtp/): `secure` on port 465 is TLS from the first
 * byte; on any other port it requires STARTTLS (`requireTLS`), and off it
 * upgrades when the server offers STARTTLS. Timeouts are short: a job must
 * not hang on a server that does not answer; the job's retry tries later.
 */
import nodemailer from "nodemailer";

export interface SmtpServer {
  host: string;
  port: number;
  secure: boolean;
  username: string;
  /** Opened (not sealed). */
  password: string;
}

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  language: string;
  unsubscribeUrl: string;
}

export async function sendThroughSmtp(server: SmtpServer, email: OutgoingEmail): Promise<void> {
  const implicitTls = server.secure && server.port === 465;
  const transport = nodemailer.createTransport({
    host: server.host,
    port: server.port,
    secure: implicitTls,
    requireTLS: server.secure && !implicitTls,
    auth: server.username ? { user: server.username, pass: server.password } : undefined,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  try {
    await transport.sendMail({
      from: email.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      headers: {
        "Content-Language": email.language,
        // One-click unsubscribe (RFC 8058): mail clients POST "List-Unsubscribe=One-Click" to the link.
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
      // List-Unsubscribe (RFC 2369): the same signed link as in the body.
      list: { unsubscribe: { url: email.unsubscribeUrl, comment: "Unsubscribe" } },
    });
  } finally {
    transport.close();
  }
}
