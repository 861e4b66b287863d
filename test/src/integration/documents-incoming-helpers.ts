/** Helpers shared by the incoming-documents integration tests (GraphQL multipart uploads, corpus files). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { GqlResponse } from '../support/gql';
import { SCANS_DIR } from '../../fixtures';

export const SCANS = SCANS_DIR;
export const scan = (name: string): Buffer => fs.readFileSync(path.join(SCANS, name));

export interface UploadPart {
  /** Variable path, e.g. `variables.input.files.0` or `variables.file`. */
  path: string;
  name: string;
  bytes: Uint8Array;
  type?: string;
}

/** A GraphQL multipart request (graphql-multipart-request-spec): operations, map, then the files. */
export async function gqlUpload<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  files: UploadPart[],
  token: string,
): Promise<GqlResponse<T>> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query, variables }));
  const map: Record<string, string[]> = {};
  files.forEach((f, i) => (map[String(i)] = [f.path]));
  form.append('map', JSON.stringify(map));
  files.forEach((f, i) => form.append(String(i), new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name));
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, accept: 'application/graphql-response+json, application/json', 'x-congvan-csrf': '1' },
    body: form,
  });
  const body = (await res.json()) as { data?: T | null; errors?: GqlResponse['errors'] };
  return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
}

/** A small valid-looking PDF with unique bytes (so its storage object is new). */
export function uniquePdf(tag: string = crypto.randomUUID()): Buffer {
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Count 1 /Kids [3 0 R] >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R >> endobj\n% ${tag}\n%%EOF\n`, 'latin1');
}

export const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

/** Every object file under the local storage root (ignores .tmp and sidecars). */
export function listObjects(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.meta.json')) out.push(path.relative(root, p));
    }
  };
  walk(path.join(root, 'sha256'));
  return out.sort();
}

export const DOC_FIELDS = `id status direction incomingNumber registerYear registerKey symbol number typeCode typeName subject urgency secrecy
  issuedDate receivedDate pageCount electronic version issuer { name agency { code } } duplicateOf { id } deadline overdue completedAt returnReason
  submittedTo { username } annotation { instruction forInfo annotatedBy { username } }
  files { id kind fileName contentType size pageCount url version uploadedBy { username } }
  assignments { id role status active deadline overdue unit { abbr } user { username } instruction returnReason draftFile { id kind fileName } progress { text author { username } file { id } } }
  watchers { username } allowedActions`;

export const REGISTER = `mutation($input: RegisterIncomingInput!) { registerIncoming(input: $input) { ${DOC_FIELDS} } }`;
export const DOCUMENT = `query($id: ID!) { document(id: $id) { ${DOC_FIELDS} } }`;

/**
 * The local storage driver signs URLs with the public URL known when it was built; the test server learns its
 * port later. Point the (signed) path and query at the test server.
 */
export const atServer = (serverUrl: string, signed: string): string => {
  const u = new URL(signed);
  return `${serverUrl}${u.pathname}${u.search}`;
};
