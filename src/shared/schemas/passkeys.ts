import { z } from "zod";
import { PASSKEY_NAME_MAX } from "../constants.js";
import { text } from "./text.js";

export { PASSKEY_NAME_MAX, PASSKEYS_MAX_PER_USER } from "../constants.js";

/**
 * What a browser sends back from a WebAuthn ceremony (SimpleWebAuthn's `RegistrationResponseJSON`
 * and `AuthenticationResponseJSON`): base64url fields, each bounded so a caller cannot make the
 * server decode or hash megabytes. SimpleWebAuthn checks the contents; this checks the shape.
 */
const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, "Expected base64url");

// Kept as strings: browsers add transports over time, and an unknown one is only a hint.
const transports = z.array(z.string().min(1).max(32)).max(10);
const credentialFields = {
  // Credential ids are at most 1023 bytes (WebAuthn L3), 1364 characters of base64url.
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal("public-key"),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  // Only what SimpleWebAuthn reads is kept; other extension outputs are dropped.
  clientExtensionResults: z.object({ credProps: z.object({ rk: z.boolean().optional() }).optional() }).default({}),
};
const clientDataJSON = base64url(4096);

export const registrationResponseSchema = z.object({
  ...credentialFields,
  response: z.object({
    clientDataJSON,
    // With attestation "none" this is small; certificates (if a browser sends them anyway) fit too.
    attestationObject: base64url(32_768),
    authenticatorData: base64url(32_768).optional(),
    transports: transports.optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: base64url(4096).optional(),
  }),
});

export const authenticationResponseSchema = z.object({
  ...credentialFields,
  response: z.object({
    clientDataJSON,
    authenticatorData: base64url(4096),
    signature: base64url(2048),
    userHandle: base64url(128).optional(),
  }),
});

export const passkeyNameSchema = text()
  .trim()
  .min(1, "Enter a name")
  .max(PASSKEY_NAME_MAX, `Use at most ${PASSKEY_NAME_MAX} characters`);

export const registerPasskeyInput = z.object({
  /** Optional: the server names it "Passkey N" when none is given. */
  name: passkeyNameSchema.optional(),
  response: registrationResponseSchema,
});
export const renamePasskeyInput = z.object({ id: z.uuid(), name: passkeyNameSchema });
export const removePasskeyInput = z.object({ id: z.uuid() });
export const passkeySignInInput = z.object({ response: authenticationResponseSchema });

/** A passkey as its owner sees it on the profile page: never its key material. */
export interface PasskeyView {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** Synced between devices (a "multi-device" credential) and backed up. */
  backedUp: boolean;
  transports: string[];
}
