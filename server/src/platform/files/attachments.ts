/**
 * 附件: files attached to records (a service request's screenshots and scanned forms). The type is read from
 * the file's first bytes, never from its name or the browser's word alone: a file whose bytes are not of the
 * type its name says (an .exe renamed .pdf, a script named .jpg) is refused, and so is any type not listed.
 */
import path from 'node:path';

/** The accepted types: the extensions each may carry and how its bytes begin. */
const TYPES: { contentType: string; extensions: string[]; matches(head: Buffer): boolean }[] = [
  { contentType: 'image/png', extensions: ['.png'], matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { contentType: 'image/jpeg', extensions: ['.jpg', '.jpeg'], matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { contentType: 'image/gif', extensions: ['.gif'], matches: (b) => b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a' },
  { contentType: 'application/pdf', extensions: ['.pdf'], matches: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  // Office files are zips; their content is not opened here (they are stored and handed back, never read)
  { contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', extensions: ['.xlsx'], matches: isZip },
  { contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extensions: ['.docx'], matches: isZip },
  { contentType: 'text/plain; charset=utf-8', extensions: ['.txt', '.log'], matches: isUtf8Text },
  { contentType: 'text/csv; charset=utf-8', extensions: ['.csv'], matches: isUtf8Text },
];

function isZip(b: Buffer): boolean {
  return b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

function isUtf8Text(b: Buffer): boolean {
  if (b.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

export const ATTACHMENT_EXTENSIONS = TYPES.flatMap((t) => t.extensions);

export type AttachmentRefusal = 'attachment_type_not_allowed' | 'attachment_type_mismatch' | 'attachment_empty';

/** The content type of a file by its name and bytes, or why it is refused. */
export function attachmentType(fileName: string, data: Buffer): { contentType: string } | { refused: AttachmentRefusal } {
  if (data.length === 0) return { refused: 'attachment_empty' };
  const ext = path.extname(fileName).toLowerCase();
  const type = TYPES.find((t) => t.extensions.includes(ext));
  if (!type) return { refused: 'attachment_type_not_allowed' };
  return type.matches(data) ? { contentType: type.contentType } : { refused: 'attachment_type_mismatch' };
}

/** A file name safe to store and to send back in Content-Disposition: no path, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = path.basename(name.replaceAll('\\', '/')).replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  return (base || 'attachment').slice(-200);
}
