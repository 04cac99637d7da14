// Uses the typed client against a running NewsApi with demo content, as a frontend and an editor's script would.
// NEWSAPI_URL (default http://127.0.0.1:5080) and NEWSAPI_EDITOR_KEY (an editor key) come from the environment.
// Prints one line per step and ends with "N passed, M failed"; exits non-zero when any step fails.
import { allArticles, newsApi, type ArticleContent } from "./client.js";

const baseUrl = process.env.NEWSAPI_URL ?? "http://127.0.0.1:5080";
const editorKey = process.env.NEWSAPI_EDITOR_KEY;
const storySlug = "wuzhen-summit-why-wuzhen";

let passed = 0;
let failed = 0;

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function step(name: string, run: () => Promise<string>) {
  try {
    const detail = await run();
    passed++;
    console.log(`ok   ${name}: ${detail}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

const reader = newsApi({ baseUrl });

await step("list articles", async () => {
  const { data, response } = await reader.GET("/api/v1/articles", { params: { query: { limit: 5, include: "section,tags" } } });
  check(response.status === 200 && data, `expected 200, got ${response.status}`);
  check(data.items.length > 0, "the demo content has published articles");
  check(data.items.every((a) => a.status === "published"), "the public sees published articles only");
  return `${data.items.length} articles, newest "${data.items[0]?.title}"`;
});

await step("read the demo story by slug", async () => {
  const { data, response } = await reader.GET("/api/v1/articles/slug/{slug}", { params: { path: { slug: storySlug } } });
  check(response.status === 200 && data, `expected 200, got ${response.status}`);
  check(data.slug === storySlug, `slug ${data.slug}`);
  check(data.title.includes("烏鎮"), `title ${data.title}`);
  check(data.dateline?.agency === "中新網", `dateline ${JSON.stringify(data.dateline)}`);
  check(data.body.length > 0 && data.charCount > 0, "the story has a body");
  check(response.headers.get("etag"), "public reads carry an ETag");
  return `"${data.title}", ${data.charCount} characters, ${data.readingTimeMinutes} min`;
});

await step("walk the cursor to the end", async () => {
  const { data: first } = await reader.GET("/api/v1/articles", { params: { query: { limit: 100 } } });
  check(first, "first page");
  const seen = new Set<string>();
  let pages = 0;
  for await (const page of allArticles(reader, { limit: 2 })) {
    pages++;
    check(page.length <= 2, `a page of limit 2 held ${page.length}`);
    for (const article of page) {
      check(!seen.has(article.id), `article ${article.slug} came twice`);
      seen.add(article.id);
    }
    check(pages <= 1000, "the cursor never ends");
  }
  if (!first.nextCursor) check(seen.size === first.items.length, `walked ${seen.size}, listed ${first.items.length}`);
  check(seen.size >= 2 && pages >= 2, `only ${seen.size} articles in ${pages} pages`);
  return `${seen.size} articles in ${pages} pages of 2`;
});

await step("create, publish and read back an article", async () => {
  check(editorKey, "NEWSAPI_EDITOR_KEY is not set");
  const editor = newsApi({ baseUrl, apiKey: editorKey });
  const stamp = Date.now().toString(36);
  const content: ArticleContent = {
    title: `烏鎮峰會閉幕 ${stamp}`,
    summary: "2023年世界互聯網大會烏鎮峰會正式落下帷幕。",
    section: "domestic",
    byline: "張煜歡",
    dateline: { agency: "中新網", place: "烏鎮", date: "2023-11-11", text: "中新網烏鎮11月11日電" },
    body: [{ type: "paragraph", text: "十年前,一“網”情深的故事從這座江南水鄉落筆。" }],
  };
  const created = await editor.POST("/api/v1/articles", { body: content });
  check(created.response.status === 201 && created.data, `create: ${created.response.status} ${JSON.stringify(created.error)}`);
  const id = created.data.id;
  check(created.data.status === "draft", `a new article is a draft, not ${created.data.status}`);

  const hidden = await reader.GET("/api/v1/articles/{id}", { params: { path: { id } } });
  check(hidden.response.status === 404, `the public must not see a draft (got ${hidden.response.status})`);

  const published = await editor.POST("/api/v1/articles/{id}/publish", { params: { path: { id } } });
  check(published.response.status === 200 && published.data, `publish: ${published.response.status} ${JSON.stringify(published.error)}`);
  check(published.data.status === "published", `status ${published.data.status}`);

  const read = await reader.GET("/api/v1/articles/{id}", { params: { path: { id } } });
  check(read.response.status === 200 && read.data, `read back: ${read.response.status}`);
  check(read.data.title === content.title && read.data.status === "published", `read back ${read.data.title} (${read.data.status})`);
  check(read.data.section?.slug === "domestic", "section kept");
  return `${read.data.slug} is published`;
});

await step("sync everything, then only what changed", async () => {
  check(editorKey, "NEWSAPI_EDITOR_KEY is not set");
  const editor = newsApi({ baseUrl, apiKey: editorKey });
  const held = new Map<string, unknown>();
  async function sync(token?: string): Promise<string> {
    for (let pages = 0; pages < 10000; pages++) {
      const { data, response } = await reader.GET("/api/v1/sync", { params: { query: token ? { from: token } : {} } });
      check(response.status === 200 && data, `sync: ${response.status}`);
      for (const item of data.items) {
        if (item.document) held.set(`${item.type}/${item.id}`, item.document);
        else held.delete(`${item.type}/${item.id}`);
      }
      token = data.nextSyncToken;
      if (!data.hasMore) return token;
    }
    throw new Error("the sync never ends");
  }
  let token = await sync();
  check(held.has(`article/${(await reader.GET("/api/v1/articles/slug/{slug}", { params: { path: { slug: storySlug } } })).data?.id}`), "the demo story is synced");
  const before = held.size;

  const created = await editor.POST("/api/v1/articles", { body: { title: `同步測試 ${Date.now().toString(36)}`, body: [] } });
  check(created.data, `create: ${created.response.status}`);
  const id = created.data.id;
  await editor.POST("/api/v1/articles/{id}/publish", { params: { path: { id } } });
  token = await sync(token);
  check(held.has(`article/${id}`), "a delta brings the published article");
  await editor.POST("/api/v1/articles/{id}/unpublish", { params: { path: { id } } });
  token = await sync(token);
  check(!held.has(`article/${id}`) && held.size === before, "a tombstone takes it away again");
  const refused = await reader.GET("/api/v1/sync", { params: { query: { from: token.slice(0, -2) + "xx" } } });
  check(refused.response.status === 400, `a tampered token is a 400, got ${refused.response.status}`);
  return `${before} things, one article in and out again`;
});

await step("open a preview link without a key", async () => {
  check(editorKey, "NEWSAPI_EDITOR_KEY is not set");
  const editor = newsApi({ baseUrl, apiKey: editorKey });
  const created = await editor.POST("/api/v1/articles", { body: { title: `預覽測試 ${Date.now().toString(36)}`, body: [] } });
  check(created.response.status === 201 && created.data, `create: ${created.response.status}`);
  const id = created.data.id;
  const link = await editor.POST("/api/v1/articles/{id}/preview-links", { params: { path: { id } }, body: { lifetime: "PT1H" } });
  check(link.response.status === 201 && link.data, `create the link: ${link.response.status} ${JSON.stringify(link.error)}`);
  // As a browser opens it: no key at all.
  const opened = await reader.GET("/api/v1/preview/{token}", { params: { path: { token: link.data.token } } });
  check(opened.response.status === 200 && opened.data, `open: ${opened.response.status}`);
  check(opened.data.id === id && opened.data.status === "draft", `the draft itself, got ${opened.data.id} (${opened.data.status})`);
  check(/no-store/.test(opened.response.headers.get("cache-control") ?? ""), `cache-control ${opened.response.headers.get("cache-control")}`);
  check(/private/.test(opened.response.headers.get("cache-control") ?? ""), `cache-control ${opened.response.headers.get("cache-control")}`);
  check(opened.response.headers.get("x-robots-tag") === "noindex", `x-robots-tag ${opened.response.headers.get("x-robots-tag")}`);
  check(link.data.url.endsWith(link.data.token), `the url carries the token: ${link.data.url}`);
  const revoked = await editor.DELETE("/api/v1/articles/{id}/preview-links/{linkId}", { params: { path: { id, linkId: link.data.id } } });
  check(revoked.response.status === 204, `revoke: ${revoked.response.status}`);
  const gone = await reader.GET("/api/v1/preview/{token}", { params: { path: { token: link.data.token } } });
  check(gone.response.status === 410, `a revoked link is a 410, got ${gone.response.status}`);
  return `a draft read through ${link.data.url.replace(link.data.token, "…")}, then revoked`;
});

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
