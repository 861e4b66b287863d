/**
 * Browser test: the buttons of the document page follow the server's `allowedActions` (a GraphQL enum).
 * The chuyên viên opens their own draft, sees "Sửa dự thảo" (UPDATE_DRAFT; the page used to look for a name
 * the server never sends, so the button never appeared), uploads a new version and sees version 2.
 */
import { type Page } from 'playwright-core';
import { gql, loginToken } from '../support/gql';
import { gqlUpload, uniquePdf } from '../integration/documents-incoming-helpers';
import { browserSuite } from '../support/browser';

const suite = browserSuite();

const PASSWORD = 'congvan2026';


/** A signed-in page for `username` in its own browser context. */
function signedIn(username: string): Promise<Page> {
  return suite.signIn(username);
}


test('the drafter edits their draft from the document page and sees version 2', async () => {
  const token = await loginToken(suite.server.url, 'chuyenvien', PASSWORD);
  const created = await gqlUpload<{ createDraft: { id: string; allowedActions: string[] } }>(
    suite.server.url,
    'mutation($input: CreateDraftInput!) { createDraft(input: $input) { id allowedActions } }',
    { input: { typeCode: 'KH', subject: 'Kế hoạch thử sửa dự thảo', files: [null] } },
    [{ path: 'variables.input.files.0', name: 'Dự thảo.pdf', bytes: uniquePdf(), type: 'application/pdf' }],
    token,
  );
  expect(created.errors).toBeUndefined();
  const { id, allowedActions } = created.data!.createDraft;
  expect(allowedActions).toContain('UPDATE_DRAFT');

  const page = await signedIn('chuyenvien');
  await page.goto(`${suite.server.url}/outgoing/documents/${id}`);
  await page.locator('.doc-markings').waitFor();
  const edit = page.getByRole('link', { name: 'Sửa dự thảo' });
  await edit.click();
  await page.getByRole('heading', { level: 1, name: 'Sửa dự thảo' }).waitFor();
  await page.locator('input[type=file]').setInputFiles({ name: 'Dự thảo sửa.pdf', mimeType: 'application/pdf', buffer: uniquePdf() });
  await page.getByRole('button', { name: 'Lưu dự thảo' }).click();
  await page.waitForURL((u) => u.pathname === `/outgoing/documents/${id}`);
  await page.getByText('Đã lưu dự thảo.').first().waitFor();
  await page.getByRole('button', { name: /Dự thảo sửa\.pdf \(v2\)/ }).waitFor();

  // The server has version 2, and the page offered nothing the server did not allow.
  const r = await gql<{ document: { files: { kind: string; version: number; fileName: string }[] } }>(
    suite.server.url,
    'query($id: ID!) { document(id: $id) { files { kind version fileName } } }',
    { id },
    { token },
  );
  expect(r.data!.document.files.filter((f) => f.kind === 'DRAFT').map((f) => [f.version, f.fileName])).toEqual([
    [1, 'Dự thảo.pdf'],
    [2, 'Dự thảo sửa.pdf'],
  ]);
  expect(suite.pageErrors).toEqual([]);
}, 120_000);
