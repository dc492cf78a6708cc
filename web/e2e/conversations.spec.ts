// The assistant's hand-overs, as an agent finds them: a chat customer who asks for a person
// before giving any account number is handed over with nothing to file on; the console's
// hand-over list shows the conversation as not identified, and its transcript shows what the
// customer wrote and what the assistant answered.
import { expect, test } from '@playwright/test';
import { apiCall, expectAccessible, signIn, state } from './helpers';

const WORDS = 'Can I talk to someone? A real person.';
let conversation = '';

test.beforeAll(async () => {
  const started = await apiCall('POST', '/v1/conversations', { channel: 'chat', locale: 'en' });
  conversation = started.conversation_id;
  const handed = await apiCall('POST', `/v1/conversations/${conversation}/turns`, { text: WORDS });
  if (handed.state !== 'handed_over') throw new Error(`not handed over: ${JSON.stringify(handed)}`);
});

test('an agent finds a hand-over without an account and reads its transcript', async ({ page }) => {
  const s = state();
  await signIn(page, s.tenant, s.staff);
  await page.getByRole('link', { name: 'Hand-overs' }).click();
  await expect(page.getByRole('heading', { name: 'Conversations handed over to a person' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'asked for person' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('not identified');
  await expect(row).toContainText('chat');
  await expectAccessible(page);

  await row.getByRole('link', { name: /Read the \d+ turns/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/conversations/${conversation}$`));
  await expect(page.getByRole('heading', { name: `Conversation ${conversation}` })).toBeVisible();
  const transcript = page.getByRole('list', { name: 'Transcript' });
  await expect(transcript.getByRole('listitem').filter({ hasText: 'Customer' })).toContainText(WORDS);
  // The assistant's answer gives the customer the conversation's id as their reference.
  await expect(transcript.getByRole('listitem').filter({ hasText: 'Assistant' }).last()).toContainText(conversation);
  await expectAccessible(page);
});
