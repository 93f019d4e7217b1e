/** A file the admin downloads (an export, a customer's data), as a service finds it for a shop. */
export interface DownloadFile {
  name: string;
  type: string;
  /** Opens the body; called only to send it. */
  open: () => ReadableStream<Uint8Array>;
}
