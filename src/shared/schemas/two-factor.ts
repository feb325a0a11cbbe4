import { z } from "zod";
import { text } from "./text.js";

/** What a person types: spaces (as apps group digits) are ignored. */
const typedCode = (message: string) =>
  text()
    .max(64, message)
    .transform((value) => value.replace(/\s/g, ""))
    .pipe(z.string().min(1, message));

/** A six-digit code from the authenticator app. */
export const totpCodeSchema = typedCode("Enter the 6-digit code from your app").pipe(
  z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your app"),
);
/** An app's code or a recovery code (`xxxx-xxxx-xxxx-xxxx`). */
export const secondFactorCodeSchema = typedCode("Enter a code from your app or a recovery code");

export const confirmTwoFactorInput = z.object({ code: totpCodeSchema });
export const disableTwoFactorInput = z.object({
  password: z.string().min(1, "Enter your password").max(1024),
  code: secondFactorCodeSchema,
});
export const completeLoginInput = z.object({
  challenge: z.string().min(20).max(200),
  code: secondFactorCodeSchema,
});

/** What `auth.login` answers when the password was right and the account has a second factor. */
export interface SecondFactorChallenge {
  secondFactorRequired: true;
  /** Hand back to `auth.twoFactor.completeLogin` with a code; single use. */
  challenge: string;
  challengeExpiresAt: Date;
}

export interface TwoFactorStatus {
  enabled: boolean;
  /** Unused recovery codes left (0 when off). */
  recoveryCodesLeft: number;
  /** REQUIRE_ADMIN_TWO_FACTOR is on and the caller is an admin. */
  required: boolean;
}

/** Shown once, while enrolling: the app reads the QR code or takes the key typed in. */
export interface TwoFactorEnrolment {
  /** The base32 secret, in groups of four, for typing into an app. */
  manualKey: string;
  otpauthUri: string;
  /** An SVG image of the QR code, as a data: URL. */
  qrCodeDataUrl: string;
}
