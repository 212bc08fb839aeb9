// The vendor adds a webhook endpoint on the admin page, copies its secret (shown once), sends a
// test event that a receiver in this test process verifies, and finds the delivery listed.
import { expect, test } from "./judged-test";
import { startWebhookReceiver } from "../support/webhook-receiver";
import { storageState } from "./roles";

test.use({ storageState: storageState("admin") });

test("adds an endpoint, shows its secret once, and delivers a signed test event", async ({ page }) => {
  const receiver = await startWebhookReceiver();
  try {
    await page.goto("/admin/webhooks");
    const form = page.getByRole("form", { name: "Add a webhook endpoint" });
    await form.getByLabel("URL").fill("http://hooks.example.com/pullgate");
    await form.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByText(/must start with https:\/\//).first()).toBeVisible();

    await form.getByLabel("URL").fill(receiver.url);
    await form.getByRole("button", { name: "Add endpoint" }).click();
    const secret = page.getByTestId("new-webhook-secret");
    await expect(secret).toContainText(/whsec_/);
    receiver.state.secret = (await secret.textContent())!.trim();

    await page.reload();
    await expect(page.getByTestId("new-webhook-secret")).toHaveCount(0);
    const endpoints = page.getByRole("table", { name: "Webhook endpoints" });
    const row = endpoints.getByRole("row", { name: new RegExp(receiver.url.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")) });
    await expect(row).toContainText("all events");
    await row.getByRole("button", { name: "Send test event" }).click();
    await expect(row.getByRole("status")).toHaveText("Delivered (HTTP 200).");

    expect(receiver.state.rejected).toBe(0);
    expect(receiver.state.received.map((e) => e.type)).toEqual(["webhook.test"]);
    const eventId = receiver.state.received[0]!.id;
    await page.reload();
    const delivery = page.getByRole("table", { name: "Recent webhook deliveries" }).getByRole("row", { name: new RegExp(eventId) });
    await expect(delivery).toContainText("webhook.test");
    await expect(delivery).toContainText("delivered");
    await expect(delivery).toContainText("HTTP 200");

    // Deleted, it is gone from the page.
    await row.getByRole("button", { name: "Delete" }).click();
    await row.getByRole("button", { name: "Yes, delete" }).click();
    await expect(endpoints).not.toContainText(receiver.url);
  } finally {
    await receiver.close();
  }
});
