// Drives the real Temporal Web UI (served by the in-process server) in Debian's headless Chromium and checks what a
// user sees. Usage: node temporal-ui.mjs CHECK 'JSON-OPTIONS'. Prints one JSON line {ok, error?, seen?} and exits
// 0 when the check passed, 1 when it failed (the C# tests in this project run it and assert on the line).
// playwright-core never downloads a browser: it launches /usr/bin/chromium (docs/ENVIRONMENT.md).
import { chromium } from 'playwright-core';

const [check, json] = process.argv.slice(2);
const options = JSON.parse(json ?? '{}');
const timeout = options.timeoutMs ?? 90_000;
// The flags docs/ENVIRONMENT.md lists for headless Chromium on these machines (root, no GPU, no network).
const args = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-dev-shm-usage'];

const ui = (path) => new URL(path, options.ui).toString();
const workflowUrl = (id, run, tab) => ui(`namespaces/${encodeURIComponent(options.namespace)}/workflows/${encodeURIComponent(id)}${run ? `/${run}` : ''}${tab ? `/${tab}` : ''}`);

// Running workflows long-poll their history, so the network never settles: wait for what should be on screen.
const waitForText = async (page, selector, texts) => {
  for (const text of texts) {
    await page.locator(selector, { hasText: text }).first().waitFor({ timeout });
  }
};

const checks = {
  // The list shows the run and its iteration children with their search attributes; a MetaRewardingPhase filter
  // shows exactly the workflows the server's own visibility query returns.
  async list(page) {
    await page.addInitScript((columns) => localStorage.setItem('namespace-workflow-table-columns', JSON.stringify(columns)), {
      [options.namespace]: ['Status', 'Workflow ID', 'Type', 'MetaRewardingIteration', 'MetaRewardingPhase', 'Start', 'End'].map((label) => ({ label })),
    });
    await page.goto(ui(`namespaces/${options.namespace}/workflows`));
    const row = '[data-testid="workflows-summary-configurable-table-row"]';
    for (const expected of options.rows) {
      await page.locator(row, { hasText: expected.id }).filter({ hasText: expected.type }).filter({ hasText: expected.phase }).first().waitFor({ timeout });
    }
    await page.screenshot({ path: options.screenshot });
    await page.goto(ui(`namespaces/${options.namespace}/workflows?query=${encodeURIComponent(options.filter)}`));
    for (const id of options.filtered) {
      await page.locator(row, { hasText: id }).first().waitFor({ timeout });
    }
    const shown = await page.locator(row).allInnerTexts();
    const unexpected = options.notFiltered.filter((id) => shown.some((text) => text.split(/\s+/).includes(id)));
    if (unexpected.length || shown.length !== options.filtered.length) {
      throw new Error(`filter ${options.filter} showed ${JSON.stringify(shown)}; expected exactly ${JSON.stringify(options.filtered)}`);
    }
    await page.screenshot({ path: options.screenshot.replace(/\.png$/, '-filtered.png') });
    return { shown };
  },

  // A workflow page (the given run, else its latest) shows the event history.
  async history(page) {
    await page.goto(workflowUrl(options.workflowId, options.runId));
    await page.locator('[data-testid="workflow-id-heading"]', { hasText: options.workflowId }).waitFor({ timeout });
    await waitForText(page, 'body', options.expect);
    await page.screenshot({ path: options.screenshot });
    return {};
  },

  // Pending activities show the running activity with its last heartbeat's details.
  async pending(page) {
    await page.goto(workflowUrl(options.workflowId, options.runId, 'pending-activities'));
    // The tab is also named pending-activities; the rows are what show the activity and its heartbeat.
    await waitForText(page, 'body', options.expect);
    await page.screenshot({ path: options.screenshot });
    return {};
  },

  // The workflow page's Reset button: pick the reset point in its dialog, give a reason, confirm. The server's answer
  // (a new run) is checked by the C# test; here, that the dialog closed without an error and the new run is shown.
  async reset(page) {
    await page.goto(workflowUrl(options.workflowId, options.runId));
    await page.locator('[data-testid="workflow-id-heading"]', { hasText: options.workflowId }).waitFor({ timeout });
    await waitForText(page, 'body', ['Failed']);
    await page.getByRole('button', { name: 'Reset', exact: true }).first().click({ timeout });
    // The page renders the actions (and their dialog) twice, for wide and narrow screens: act on the visible one.
    const dialog = page.locator('[data-testid="reset-confirmation-modal"]:visible');
    // The event select is holocene's menu: a button controlling a listbox of options "ID - EventType".
    await dialog.locator('[aria-controls="reset-event-id-select"]:visible').click({ timeout });
    await page.locator('#reset-event-id-select li[role="option"]:visible', { hasText: new RegExp(`^\\s*${options.eventId} - WorkflowTaskCompleted`) })
      .first().click({ timeout });
    await dialog.locator('#reset-reason:visible').fill(options.reason);
    await page.screenshot({ path: options.screenshot.replace(/\.png$/, '-dialog.png') });
    await dialog.locator('[data-testid="confirm-modal-button"]:visible').click({ timeout });
    await dialog.waitFor({ state: 'hidden', timeout });
    await page.goto(workflowUrl(options.workflowId));
    await waitForText(page, 'body', ['Running']);
    await page.screenshot({ path: options.screenshot });
    return {};
  },

  // The Queries tab runs the workflow's `progress` query through a worker and shows its JSON result.
  async query(page) {
    await page.goto(workflowUrl(options.workflowId, options.runId, 'query'));
    await page.locator('[data-testid="query-select"]').first().waitFor({ timeout });
    await page.getByRole('button', { name: /Run Query|Refresh/ }).first().click({ timeout });
    await waitForText(page, '[data-testid="query-result"]', options.expect);
    await page.screenshot({ path: options.screenshot });
    return { seen: await page.locator('[data-testid="query-result"]').first().innerText() };
  },
};

const browser = await chromium.launch({ executablePath: options.chromium ?? '/usr/bin/chromium', args });
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
const apiErrors = [];
page.on('response', (response) => {
  if (response.url().includes('/api/v1/') && response.status() >= 500) {
    apiErrors.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  }
});
let result;
try {
  if (!checks[check]) {
    throw new Error(`unknown check ${check}; known: ${Object.keys(checks).join(', ')}`);
  }
  result = { ok: true, ...(await checks[check](page)) };
  if (apiErrors.length) {
    result = { ok: false, error: `the UI got server errors: ${apiErrors.join('; ')}` };
  }
} catch (error) {
  await page.screenshot({ path: (options.screenshot ?? 'failure.png').replace(/\.png$/, '-FAILED.png') }).catch(() => {});
  const body = await page.locator('body').innerText().catch(() => '');
  result = { ok: false, error: String(error?.message ?? error).split('\n')[0], url: page.url(), page: body.slice(0, 2000), apiErrors };
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
