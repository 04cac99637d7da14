using NewsApi.Api.RateLimits;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Demo;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Import;

internal static class ImportEndpoints
{
    public static IServiceCollection AddImport(this IServiceCollection services, IConfiguration config)
    {
        ImportOptions.Add(services, config);
        services.ConfigureSwaggerGen(o =>
        {
            o.OperationFilter<ImportOperationDocs>();
            o.SchemaFilter<ImportItemBounds>();
        });
        return services;
    }

    public static RouteGroupBuilder MapImport(this RouteGroupBuilder api)
    {
        api.MapPost("/import/articles", ImportArticles.Handle).WithName("importArticles").WithTags("Import")
            .RequireAuthorization(Policies.Editor).DrawsFrom(RateBudget.Imports)
            .WithBodyLimit(ImportOptions.BodyLimit)
            .Accepts<ImportItem>(ImportReader.NdjsonMediaType, "application/json", ImportReader.NinjsMediaType, "text/plain")
            .Produces<ImportResult>(StatusCodes.Status200OK, ImportReader.NdjsonMediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Import articles in bulk (NDJSON, JSON array, ninjs, wire text)")
            .WithDescription(
                "Upserts by externalId: a new story is created (as a draft unless it says status), a changed one updated with a " +
                "revision, an identical one left unchanged (nothing written). Send NDJSON (application/x-ndjson, one item a line, " +
                "streamed) or a JSON array; with ?format=ninjs the lines or elements are IPTC ninjs 2.x/3.x items (uri becomes " +
                "externalId; an older version never overwrites a newer one). application/ninjs+json takes one ninjs item, " +
                "text/plain one Chinese wire story (title line, dateline lead, sub-headings, end mark). Results stream back as " +
                "NDJSON, one line per item ({line, externalId, id, outcome, errors, note}) as each batch is written, then " +
                "{summary:{…}}. A bad item never stops the others unless ?atomic=true; ?dryRun=true writes nothing. " +
                "Archive migration (a key that may publish): an item with status published, archived or unpublished may carry " +
                "publishedAt, firstPublishedAt and updatedAt in the past; it keeps them instead of going live now (lists and feeds " +
                "order by publishedAt) and raises no webhook event unless ?notify=true. Refused as invalid: a time in the future (a " +
                "future publication is status scheduled with publishAt), firstPublishedAt after publishedAt, updatedAt before it. " +
                "Idempotency-Key (per API key) replays the first result of a retried request (same key, other query, content type or " +
                "body: 422; still running: 409); keys are kept 24 hours, a claim whose run crashed lapses after 5 minutes. " +
                "Limits (Import:*): 1 MiB per item, 200 MiB per request, 50,000 items; beyond them 413, " +
                "or a line marked invalid for an item too large. Past 10 minutes (Import:MaxDuration) the import writes the batch " +
                "in hand and stops; its summary says so and gives resumeAt, the first item not processed.");
        return api;
    }
}

/// <summary>
/// The import operation takes four media types and answers NDJSON: each gets its own schema and example here,
/// plus the Idempotency-Key header; the generic filters only know one JSON body.
/// </summary>
internal sealed class ImportOperationDocs : IOperationFilter
{
    // The demo story's facts (Demo/DemoStory), as one line of an import.
    static readonly JsonNode Item = JsonNode.Parse($$"""
        {"externalId":"cns-20231111-wuzhen","title":"{{DemoStory.Title}}","section":"{{DemoStory.SectionSlug}}","tags":["{{DemoStory.TagSlug}}"],"authors":["{{DemoStory.AuthorSlug}}"],
         "byline":"{{DemoStory.AuthorName}}","dateline":{"agency":"{{DemoStory.Agency}}","place":"{{DemoStory.Place}}","date":"{{DemoStory.Date}}","text":"{{DemoStory.DatelineText}}"},
         "body":[{"type":"paragraph","text":"11月10日,2023年世界互聯網大會烏鎮峰會正式落下帷幕。"}],"status":"published"}
        """)!;

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (operation.OperationId != "importArticles" || operation.RequestBody is not OpenApiRequestBody body)
            return;
        var item = context.SchemaGenerator.GenerateSchema(typeof(ImportItem), context.SchemaRepository);
        body.Required = true;
        body.Description = "NDJSON (one item a line), a JSON array of items, one ninjs item, or one wire story as plain text.";
        body.Content = new Dictionary<string, OpenApiMediaType>
        {
            [ImportReader.NdjsonMediaType] = new()
            {
                // The schema and example describe one line; a body is any number of such lines.
                Schema = item,
                Example = Item.DeepClone(),
            },
            ["application/json"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Array, Items = item }, Example = new JsonArray(Item.DeepClone()) },
            [ImportReader.NinjsMediaType] = new()
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "An IPTC ninjs 2.x or 3.x item (http://www.iptc.org/std/ninjs/)." },
                Example = JsonNode.Parse("""
                    {"uri":"urn:agency:20231111:wuzhen","version":"2","type":"text","language":"zh-Hant","headlines":[{"role":"main","value":"烏鎮峰會閉幕"}],
                     "bodies":[{"role":"main","contentType":"text/html","value":"<p>2023年世界互聯網大會烏鎮峰會正式落下帷幕。</p>"}],
                     "subjects":[{"name":"烏鎮峰會"}],"by":"張煜歡","located":"烏鎮"}
                    """),
            },
            ["text/plain"] = new()
            {
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                Example = JsonValue.Create("心向“網(wǎng)”之:為何是烏鎮?\n中新網(wǎng)烏鎮11月11日電(張煜歡)11月10日,2023年世界互聯網大會烏鎮峰會正式落下帷幕。\n\n聚焦發展 共享普惠繁榮\n十年前,一“網”情深的故事從這座江南水鄉落筆。(完)\n"),
            },
        };

        var result = context.SchemaGenerator.GenerateSchema(typeof(ImportResult), context.SchemaRepository);
        var summary = context.SchemaGenerator.GenerateSchema(typeof(ImportSummaryLine), context.SchemaRepository);
        if (operation.Responses?["200"] is OpenApiResponse ok)
        {
            ok.Description = "NDJSON: one ImportResult line per item, in input order, streamed as each batch is written; then one " +
                             "ImportSummaryLine. A replay of an Idempotency-Key carries the header Idempotency-Replayed: true.";
            ok.Content = new Dictionary<string, OpenApiMediaType>
            {
                [ImportReader.NdjsonMediaType] = new()
                {
                    Schema = new OpenApiSchema { OneOf = [result, summary] },
                    // One line of the stream; the summary line that closes it has the ImportSummaryLine shape.
                    Example = JsonNode.Parse("""{"line":1,"externalId":"cns-20231111-wuzhen","id":"019a6d0e-5b1c-7cc4-9a57-3f1f4c2b8e01","outcome":"created"}"""),
                },
            };
        }
        Describe(operation, "400", "A query parameter or Idempotency-Key is malformed, or a JSON array is broken before any result was sent.");
        Describe(operation, "409", "A request with the same Idempotency-Key is still running.");
        Describe(operation, "413", "The body breaks Import:MaxRequestBytes or Import:MaxItems, or a single ninjs item or wire story breaks Import:MaxItemBytes; the problem names the limit (limit, max).");
        Describe(operation, "415", "The Content-Type is not one of the four accepted.");
        Describe(operation, "422", "The Idempotency-Key was used before by this API key with a different query, content type or body.");

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = Idempotency.Header, In = ParameterLocation.Header, Required = false,
            Description = "Any unique string (a UUID), scoped to your API key: a retry of the same request (query, content type and body) with the same key " +
                          "replays the first result instead of importing again. Kept 24 hours (Import:IdempotencyKeyLifetime); a claim whose run stopped " +
                          "without an answer lapses after Import:IdempotencyLease (5 minutes), and a retry then runs again. Ignored on dry runs.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Idempotency.MaxKeyLength },
        });
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
            parameter.Description ??= parameter.Name switch
            {
                "createMissing" => "Create sections, tags and authors that items name but that do not exist (topics are never created).",
                "atomic" => "All or nothing: one transaction for the whole request, rolled back when any item is invalid. Results still stream; the summary says whether it was committed.",
                "dryRun" => "Validate and report each item's outcome without writing anything.",
                "format" => "newsapi (default) or ninjs: what the NDJSON lines or JSON array elements are.",
                "externalId" => "Wire text only: the story's externalId; default 'wire:' and a hash of its dateline and title.",
                "date" => "Wire text only: the date the dateline's month and day are read against; default today.",
                _ => null,
            };
    }

    static void Describe(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses?.TryGetValue(status, out var response) == true && response is OpenApiResponse r)
            r.Description = description;
    }
}
