using NewsApi.Api;
using NewsApi.Api.OpenApi;

namespace NewsApi.Features.Sync;

internal static class SyncEndpoints
{
    static readonly Dictionary<string, ParameterDoc> Parameters = new()
    {
        ["from"] = new("nextSyncToken from the previous answer; leave it out to start from nothing. An altered token, or one older " +
                        "than the change log keeps (Retention:SyncChanges), is a 400: start over without it.", MaxLength: 1024),
    };

    public static RouteGroupBuilder MapSync(this RouteGroupBuilder api)
    {
        api.MapGet("/sync", GetSync.Handle).WithName("sync").WithScripts().WithTags("Sync").WithParameterDocs(Parameters)
            .WithSummary("Sync everything public, then only what changed")
            .WithDescription("Without from: every public article, section, tag, author, topic and featured list, as their public reads " +
                             "show them, page by page (type order: section, tag, author, topic, featured-list, article). Ask again with " +
                             "from=nextSyncToken while hasMore is true. The last page's nextSyncToken, given later, answers only what changed " +
                             "since: upserts with the document as it is now, and tombstones {type, id, deletedAt} for whatever stopped " +
                             "being public (unpublished, killed, archived, deleted, embargoed again). Changes are read in commit order, so " +
                             "none is missed under concurrent writes; a thing may come more than once, and its latest form wins. " +
                             "Answers are private, no-store.");
        return api;
    }
}

internal static class SyncSetup
{
    public static IServiceCollection AddSync(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<SyncOptions>().Bind(config.GetSection(SyncOptions.Section))
            .Validate(o => o.PageSize is >= 1 and <= 1000, "Sync:PageSize must be between 1 and 1000.").ValidateOnStart();
        return services;
    }
}
