// Every admin page fits a small laptop and a tablet without sideways scrolling of the page itself
// (wide tables scroll inside their own frame), and the customer pages fit a phone.
import { expect, test, type Page } from "./judged-test";
import { adminPageUrls } from "./admin-routes";
import { storageState } from "./roles";

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

const VIEWPORTS = [
  { name: "small laptop", width: 1024, height: 768 },
  { name: "tablet", width: 768, height: 1024 },
];

test.describe("admin pages", () => {
  test.use({ storageState: storageState("admin") });
  for (const viewport of VIEWPORTS) {
    test(`fit a ${viewport.name} (${viewport.width} px)`, async ({ page }) => {
      await page.setViewportSize(viewport);
      const wider: string[] = [];
      for (const url of adminPageUrls()) {
        await page.goto(url);
        await page.waitForLoadState("networkidle");
        const extra = await overflow(page);
        if (extra > 0) wider.push(`${url}: ${extra} px too wide`);
      }
      expect(wider).toEqual([]);
    });
  }
});

test.describe("the customer pages", () => {
  test.use({ storageState: storageState("customer") });
  test("fit a phone (390 px)", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const url of ["/portal", "/portal/accounts", "/portal/team"]) {
      await page.goto(url);
      expect(await overflow(page), url).toBeLessThanOrEqual(0);
    }
  });
});
