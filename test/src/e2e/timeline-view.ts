import { expect, type Locator, type Page } from '@playwright/test';

// Reading and driving the Session Timeline view as a person does.

/** Drags the scrubber's thumb to a fraction of its width, as a person scrubs. */
export async function scrub(page: Page, range: Locator, from: number, to: number): Promise<void> {
    const box = (await range.boundingBox())!;
    const y = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * from, y);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) {
        await page.mouse.move(box.x + box.width * (from + ((to - from) * i) / 8), y);
    }
    await page.mouse.up();
}

/** The position the scrubber's label shows ("123 / 456 events · #789 · …"). */
export async function shownPosition(view: Locator): Promise<number> {
    const text = await view.locator('.coditect-timeline-position').innerText();
    return Number(/^([\d,]+) \//.exec(text)![1].replace(/,/g, ''));
}

/** The events in the session, as the scrubber's label says ("123 / 456 events · …"). */
async function shownEventCount(view: Locator): Promise<number> {
    const text = await view.locator('.coditect-timeline-position').innerText();
    return Number(/^[\d,]+ \/ ([\d,]+) event/.exec(text)![1].replace(/,/g, ''));
}

/** The events the filters let through, as the count beside them says ("12 events match"). */
async function shownMatchCount(view: Locator): Promise<number> {
    const text = await view.locator('.coditect-timeline-filter-count').innerText();
    return Number(/^([\d,]+) event/.exec(text)![1].replace(/,/g, ''));
}

/**
 * Types into the path filter and waits for the list it gives. The filter applies once typing
 * rests (300 ms); until then the list and the match count are still the previous filter's, so a
 * click at once could land on a row the filter is about to take away. Narrowing waits until the
 * match count is below the session's events; clearing, until the list holds more rows than the
 * narrowed one did.
 */
export async function filterByPath(view: Locator, path: string): Promise<void> {
    const input = view.locator('input.coditect-timeline-path');
    if (path) {
        await input.fill(path);
        await expect.poll(async () => await shownMatchCount(view) < await shownEventCount(view), { message: `the list narrowed to ${path}` }).toBe(true);
    } else {
        const rows = view.locator('.coditect-timeline-row');
        const narrowed = await rows.count();
        await input.fill('');
        await expect.poll(() => rows.count(), { message: 'the whole session listed again' }).toBeGreaterThan(narrowed);
    }
}
