/** Why an upload was refused before any import began; the HTTP route maps each reason to a status. */
export type UploadRefusal =
  | "too_large"
  | "unsupported_format"
  | "unsupported_charset"
  | "empty"
  | "storage_quota"
  | "dataset_limit";

export class UploadRefusedError extends Error {
  override name = "UploadRefusedError";
  constructor(
    readonly reason: UploadRefusal,
    message: string,
  ) {
    super(message);
  }
}
