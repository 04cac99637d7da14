// A typed NewsApi client: paths, parameters, bodies and responses all come from openapi/v1.json (src/schema.d.ts,
// generated with `npm run generate`), so a frontend that compiles against it cannot call what the API does not have.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema.js";

export type Article = components["schemas"]["ArticleResponse"];
export type ArticleSummary = components["schemas"]["ArticleSummary"];
export type ArticleContent = components["schemas"]["ArticleContent"];
export type Problem = components["schemas"]["ProblemDetails"];

export interface NewsApiOptions {
  /** Where the service listens, such as http://localhost:5080. */
  baseUrl: string;
  /** An API key, for previews and writes; public reads need none. */
  apiKey?: string;
}

export function newsApi({ baseUrl, apiKey }: NewsApiOptions) {
  // JSON and problems only: the same paths also serve ninjs and JSON-LD by Accept, which this client does not ask for.
  const client = createClient<paths, "application/json" | "application/problem+json">({ baseUrl });
  if (apiKey) {
    const auth: Middleware = {
      onRequest({ request }) {
        request.headers.set("Authorization", `Bearer ${apiKey}`);
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}

export type NewsApiClient = ReturnType<typeof newsApi>;

/** Every article of the list, page by page, following nextCursor until the last page. */
export async function* allArticles(
  client: NewsApiClient,
  query: NonNullable<paths["/api/v1/articles"]["get"]["parameters"]["query"]> = {},
): AsyncGenerator<ArticleSummary[]> {
  let cursor: string | undefined;
  do {
    const { data, error, response } = await client.GET("/api/v1/articles", {
      params: { query: cursor ? { ...query, cursor } : query },
    });
    if (!data) throw new Error(`listArticles answered ${response.status}: ${JSON.stringify(error)}`);
    yield data.items;
    cursor = data.nextCursor ?? undefined;
  } while (cursor);
}
