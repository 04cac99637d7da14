using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.OpenApi;
using NewsApi.Content;
using NewsApi.Data.Entities;
using NewsApi.Features.Articles;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Api;

public static class OpenApiSetup
{
    public const string DocumentPath = "/swagger/v1/swagger.json";
    public const string BearerScheme = "apiKey";

    public static IServiceCollection AddOpenApiDocument(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "NewsApi",
                Version = "v1",
                Description = "A headless CMS for news publishers: articles with structured datelines, sections, topic pages (專題) " +
                              "and editor-curated featured lists, served as versioned JSON. Errors are RFC 9457 problem+json " +
                              "with a stable type.",
            });
            o.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "NewsApi.xml"), includeControllerXmlComments: false);
            o.CustomSchemaIds(SchemaId);
            o.SupportNonNullableReferenceTypes();
            o.NonNullableReferenceTypesAsRequired(); // a typed client may then rely on them being there
            o.ParameterFilter<QueryParameterDocs>();
            o.SchemaFilter<InputBounds>();
            o.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key, sent as 'Authorization: Bearer <key>'. Roles: previewer (reads everything), editor (writes content), " +
                              "admin (also API keys, webhooks and the audit log). Public reads need no key.",
            });
            o.OperationFilter<KeyRequirements>();
            o.OperationFilter<ProblemResponses>();
            o.OperationFilter<OpenApiExamples>();
            o.OperationFilter<CachingHeaders>();
        });
        return services;
    }

    public static WebApplication UseOpenApiDocument(this WebApplication app)
    {
        Features.Articles.ArticleExamples.Register();
        Features.ResourceExamples.Register();
        app.UseSwagger();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint(DocumentPath, "NewsApi v1");
            o.DocumentTitle = "NewsApi";
            o.DisplayOperationId();
            o.EnablePersistAuthorization();
        });
        return app;
    }

    /// <summary>Tells the developer where to click once the server listens.</summary>
    public static void LogSwaggerAddress(this WebApplication app) => app.Lifetime.ApplicationStarted.Register(() =>
    {
        var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
            app.Logger.LogInformation("Swagger UI: {Address}/swagger", address.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://[::]", "://localhost"));
    });

    // Page<ArticleSummary> → ArticleSummaryPage; nested request types keep their outer name for uniqueness.
    static string SchemaId(Type type)
    {
        if (type.IsGenericType)
            return string.Concat(type.GetGenericArguments().Select(SchemaId)) + type.Name[..type.Name.IndexOf('`')];
        return type.IsNested && type.DeclaringType is { } outer && !outer.IsGenericType ? outer.Name + type.Name : type.Name;
    }
}

/// <summary>Describes the query parameters shared by many operations, with their bounds and formats.</summary>
internal sealed class QueryParameterDocs : IParameterFilter
{
    public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
    {
        if (parameter is not OpenApiParameter p || p.Name is null)
            return;
        if (p.In == ParameterLocation.Path)
        {
            p.Description ??= p.Name switch
            {
                "id" => "The id (a UUID) the resource was created with.",
                "number" => "The revision's number, from 1 for the article's creation.",
                "slug" => "The slug from the resource's address, such as domestic or wuzhen-summit-why-wuzhen.",
                "articleId" => "The id (a UUID) of an article in the topic.",
                "entryId" => "The id (a UUID) of the entry, from the list's entries or the response that created it.",
                "deliveryId" => "The delivery's id, from the webhook's delivery log (also sent to the receiver as NewsApi-Delivery).",
                _ => null,
            };
            Bound(p);
            return;
        }
        if (p.In != ParameterLocation.Query)
            return;
        // Query records use C# names; the wire (and binding, which ignores case) uses camelCase.
        p.Name = JsonNamingPolicy.CamelCase.ConvertName(p.Name);
        switch (p.Name)
        {
            case "q":
                p.Description = "What to search for: terms separated by spaces, all of which must match, each at least 2 characters " +
                                "(烏鎮, 互聯網大會, 5G智慧醫院). Simplified and Traditional, full- and half-width forms and case are folded.";
                p.Required = true;
                break;
            case "limit":
                p.Description = $"How many items a page holds, 1 to {Paging.MaxLimit}; default {Paging.DefaultLimit}.";
                p.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = Paging.MaxLimit.ToString(), Default = JsonValue.Create(Paging.DefaultLimit) };
                break;
            case "cursor":
                p.Description = "Opaque cursor from the previous page's nextCursor (or its Link: rel=\"next\"); omit it for the first page.";
                break;
            case "from":
                p.Description = "Only articles published at or after this time: ISO 8601 with an offset (2023-11-11T00:00:00Z) or a date (2023-11-11, UTC).";
                p.Schema = Time();
                break;
            case "to":
                p.Description = "Only articles published before this time; same format as from, and later than it.";
                p.Schema = Time();
                break;
            case "at":
                p.Description = "Show the list as it stood at this past time (ISO 8601 with an offset, or a date); default now.";
                p.Schema = Time();
                break;
            case "sort":
                p.Description = "Order of the list: newest first (-publishedAt, the default), oldest first (publishedAt) or most recently updated first (-updatedAt).";
                p.Schema = Enum(Features.Articles.ListArticles.Sorts, "-publishedAt");
                break;
            case "section":
                p.Description = "Slug of a section, such as domestic; its sub-sections are included.";
                break;
            case "topic":
                p.Description = "Slug of a topic page.";
                break;
            case "tag":
                p.Description = "Slug of a tag.";
                break;
            case "author":
                p.Description = "Slug of an author.";
                break;
            case "fields":
                p.Description = "Comma-separated members each item keeps (id always stays): " + string.Join(", ", Features.Articles.ListArticles.Fields) + ".";
                p.Schema = CommaList(Features.Articles.ListArticles.Fields);
                break;
            case "status":
                p.Description = "Needs a key of any role. Comma-separated statuses to list or search instead of the public view: " +
                                string.Join(", ", Features.Articles.ListArticles.Statuses) + "; a list is then sorted by -updatedAt, a search stays ranked.";
                break;
            case "moveTo":
                p.Description = "Slug of the section that takes over the deleted section's articles and sub-sections (and featured lists " +
                                "filled from it); without it, a section that still holds any is not deleted (409).";
                break;
            case "actor":
                p.Description = "Only entries made with the key of this name.";
                break;
            case "target":
                p.Description = "Only entries whose target path starts with this, e.g. /api/v1/articles/{id}.";
                break;
            case "include":
                p.Description = "Comma-separated related resources to embed in each item: " + string.Join(", ", Features.Articles.ListArticles.Includes) + ".";
                p.Schema = CommaList(Features.Articles.ListArticles.Includes);
                break;
        }
        Bound(p);
    }

    /// <summary>The longest a valid value can be; anything longer answers 400 or 404, so clients may check first.</summary>
    static void Bound(OpenApiParameter p)
    {
        if (p.Schema is not OpenApiSchema schema)
            return;
        if (schema.Type?.HasFlag(JsonSchemaType.String) == true && schema.Enum is null)
            schema.MaxLength ??= p.Name switch
            {
                "cursor" => 300,          // an encoded keyset position is about 150 characters
                "actor" => 100,           // an API key's name
                "target" => 300,          // an audited path
                _ => 200,                 // slugs (the column's length), and slug filters, validated to 200
            };
        if (schema.Type?.HasFlag(JsonSchemaType.Integer) == true)
        {
            schema.Minimum ??= "1";
            schema.Maximum ??= int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (p.In == ParameterLocation.Path && p.Name == "format")
            schema.Enum = ["rss", "atom", "json"];
    }

    /// <summary>
    /// A comma-separated subset of known names: its pattern and the length of all of them together. No example: Swagger
    /// UI would prefill it, and a newcomer's first "Try it out" would come back trimmed.
    /// </summary>
    static OpenApiSchema CommaList(IReadOnlyCollection<string> names)
    {
        var one = "(" + string.Join("|", names) + ")";
        return new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Pattern = $"^{one}(,{one})*$",
            MaxLength = names.Sum(n => n.Length + 1),
        };
    }

    static OpenApiSchema Time() => new() { Type = JsonSchemaType.String, Format = "date-time", MaxLength = InputBounds.MaxTimeLength };

    static OpenApiSchema Enum(IEnumerable<string> values, string @default) => new()
    {
        Type = JsonSchemaType.String,
        Enum = values.Select(v => (JsonNode)JsonValue.Create(v)!).ToList(),
        Default = JsonValue.Create(@default),
    };
}

/// <summary>
/// Public reads (routes marked PublicRead) answer with the caching headers of HttpCaching and may answer 304; saying so lets CDN
/// and client authors rely on them.
/// </summary>
internal sealed class CachingHeaders : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Caching.PublicRead>().Any()
            || operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse ok)
            return;
        ok.Headers ??= new Dictionary<string, IOpenApiHeader>();
        ok.Headers["ETag"] = Header("Strong validator of these exact bytes; for resources with a row version it starts with it (\"749.<hash>\") and also serves as If-Match for writes.");
        ok.Headers["Cache-Control"] = Header("Anonymous: public, max-age and stale-while-revalidate that never reach past the next scheduled change (publish, unpublish, embargo end, featured window). With a key: private, no-store.");
        ok.Headers["Last-Modified"] = Header("When this representation was generated; If-Modified-Since compares against it.");
        ok.Headers["Vary"] = Header("Accept, Authorization, Accept-Encoding.");
        ok.Headers["Access-Control-Allow-Origin"] = Header("* — any origin may read from the browser (CORS); keys travel in Authorization, never cookies.");
        operation.Responses["304"] = new OpenApiResponse
        {
            Description = "Not modified: If-None-Match named the current ETag (or If-Modified-Since is not older than Last-Modified). No body.",
        };
    }

    static OpenApiHeader Header(string description) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 } };
}

/// <summary>Operations that need a key say so, with the scheme, and document the 401 and 403 they may answer.</summary>
internal sealed class KeyRequirements : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var roles = metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Select(a => a.Policy).OfType<string>().ToList();
        if (roles.Count == 0)
            return;
        operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiSetup.BearerScheme, context.Document)] = [] }];
        var problem = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository);
        operation.Responses ??= [];
        operation.Responses["401"] = new OpenApiResponse
        {
            Description = "No key, or a key that is not valid or was revoked. WWW-Authenticate says which.",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
        };
        operation.Responses["403"] = new OpenApiResponse
        {
            Description = $"The key's role may not do this; it needs {string.Join(" or ", roles)}.",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
        };
        operation.Description = $"{operation.Description} Needs a key with role {roles[^1]}.".Trim();
    }
}

/// <summary>
/// Problem responses are served as application/problem+json; the typed results only know application/json.
/// Every operation may also answer 500 with a problem.
/// </summary>
internal sealed class ProblemResponses : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        operation.Responses ??= [];
        foreach (var (code, response) in operation.Responses)
        {
            if (!code.StartsWith('4') && !code.StartsWith('5') || response.Content is null)
                continue;
            if (response.Content.Remove("application/json", out var media))
                response.Content["application/problem+json"] = media;
            if (code == "503")
                response.Description = "Busy: too many requests are waiting their turn. Retry after the seconds in Retry-After.";
        }
        if (!operation.Responses.ContainsKey("500"))
        {
            var schema = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository);
            operation.Responses["500"] = new OpenApiResponse
            {
                Description = "Something failed on the server; the problem carries no internal detail.",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
            };
        }
    }
}

/// <summary>
/// Every string, array and integer a client may send carries the bound the service enforces, so a client can check
/// before sending and a gateway can reject early. Lengths and ranges come from the FluentValidation validators of the
/// request types (MaximumLength, InclusiveBetween); counts checked with Must() are listed here beside their constants.
/// Strings with a fixed format (times, dates, ids) get that format's length everywhere, responses included.
/// </summary>
internal sealed class InputBounds(IServiceScopeFactory scopes) : ISchemaFilter
{
    public const int MaxTimeLength = 35; // 2023-11-11T10:30:00.1234567+08:00 and then some

    static readonly Dictionary<(Type Type, string Member), (int Items, int ItemLength)> Collections = new()
    {
        [(typeof(ArticleContent), "body")] = (ArticleContentValidator.MaxBlocks, 0),
        [(typeof(ArticleContent), "tags")] = (ArticleContentValidator.MaxTags, Slugs.MaxLength),
        [(typeof(ArticleContent), "authors")] = (ArticleContentValidator.MaxAuthors, Slugs.MaxLength),
        [(typeof(ArticleContent), "corrections")] = (ArticleContentValidator.MaxCorrections, 0),
        [(typeof(Block), "items")] = (200, 0),
        [(typeof(Import.ImportItem), "topics")] = (Import.ImportWriter.MaxTopics, Slugs.MaxLength),
        [(typeof(Features.Topics.TopicArticlesRequest), "articles")] = (Features.Topics.TopicMembership.MaxArticles, 0),
        [(typeof(Features.Webhooks.RegisterWebhook.Request), "events")] = (Changes.EventTypes.All.Count, 30),
        [(typeof(Features.Webhooks.UpdateWebhook.Request), "events")] = (Changes.EventTypes.All.Count, 30),
    };

    static readonly Dictionary<(Type Type, string Member), int> Lengths = new()
    {
        [(typeof(Correction), "text")] = 2000,              // a child rule of ArticleContentValidator
        [(typeof(ArticleContent), "language")] = 35,        // BCP 47 by pattern; the column's length
        [(typeof(ArticleContent), "section")] = Slugs.MaxLength,
        [(typeof(Block), "url")] = 2000,                    // ImageValidator.IsWebUrl
        [(typeof(Image), "url")] = 2000,
        [(typeof(Block), "type")] = 20,
        [(typeof(Import.ImportItem), "status")] = 20,
        [(typeof(Features.Sections.SectionRequest), "parent")] = Slugs.MaxLength,
        [(typeof(Features.FeaturedLists.FeaturedListRequest), "section")] = Slugs.MaxLength,
    };

    // An import item is an article write plus a few members: it carries the article's bounds.
    static Type BoundsOf(Type type) => type == typeof(Import.ImportItem) ? typeof(ArticleContent) : type;

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema s)
            return;
        if (s.Type == JsonSchemaType.String || s.Type == (JsonSchemaType.String | JsonSchemaType.Null))
            s.MaxLength ??= FormatLength(s.Format);
        if (s.Properties is not { Count: > 0 } properties)
            return;
        foreach (var (name, property) in properties)
        {
            if (property is not OpenApiSchema p)
                continue;
            if (p.Format is not null)
                p.MaxLength ??= FormatLength(p.Format);
            if (Collections.TryGetValue((context.Type, name), out var collection) || Collections.TryGetValue((BoundsOf(context.Type), name), out collection))
            {
                p.MaxItems = collection.Items;
                if (collection.ItemLength > 0 && p.Items is OpenApiSchema item)
                    item.MaxLength = collection.ItemLength;
            }
            if (Lengths.TryGetValue((context.Type, name), out var length) || Lengths.TryGetValue((BoundsOf(context.Type), name), out length))
                p.MaxLength = length;
            if (context.Type == typeof(Import.ImportItem) && name == "version")
                (p.Minimum, p.Maximum) = ("0", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var scope = scopes.CreateScope();
        if (scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(BoundsOf(context.Type))) is not IValidator validator)
            return;
        foreach (var rule in validator.CreateDescriptor().Rules)
        {
            if (rule.PropertyName is null || !properties.TryGetValue(JsonNamingPolicy.CamelCase.ConvertName(rule.PropertyName), out var member) || member is not OpenApiSchema target)
                continue;
            // RuleForEach bounds the items, RuleFor the member itself.
            if (target.Items is OpenApiSchema items)
                target = items;
            foreach (var component in rule.Components)
                switch (component.Validator)
                {
                    case ILengthValidator { Max: > 0 } l:
                        target.MaxLength = l.Max;
                        break;
                    case IBetweenValidator b:
                        target.Minimum = Convert.ToString(b.From, System.Globalization.CultureInfo.InvariantCulture);
                        target.Maximum = Convert.ToString(b.To, System.Globalization.CultureInfo.InvariantCulture);
                        break;
                }
        }
    }

    static int? FormatLength(string? format) => format switch
    {
        "date-time" => MaxTimeLength,
        "date" => 10,
        "uuid" => 36,
        _ => null,
    };
}
