using Microsoft.OpenApi;
using NewsApi.Api.OpenApi;

namespace NewsApi.Api;

internal static class OpenApiSetup
{
    public const string DocumentPath = "/swagger/v1/swagger.json";
    public const string BearerScheme = "apiKey";

    /// <summary>Set to true to have Swagger UI keep the key it was given across reloads (a developer's machine, say).</summary>
    public const string PersistAuthorizationKey = "SwaggerUi:PersistAuthorization";

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
                              "with a stable type. Public reads accept only the query parameters they declare (any other is a 400 naming it), " +
                              "and a key that is unknown, revoked or malformed is a 401 on every operation, public reads included.",
            });
            o.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "NewsApi.xml"), includeControllerXmlComments: false);
            o.CustomSchemaIds(SchemaId);
            // Public reads also answer HEAD (GET without the body, see PublicRead): HTTP's rule, not an operation of its own.
            o.DocInclusionPredicate((document, api) => api.HttpMethod != HttpMethods.Head && (api.GroupName is null || api.GroupName == document));
            o.SupportNonNullableReferenceTypes();
            o.NonNullableReferenceTypesAsRequired(); // a typed client may then rely on them being there
            o.SchemaFilter<InputBounds>();
            o.SchemaFilter<ConstructorDefaults>();
            o.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key, sent as 'Authorization: Bearer <key>'. Roles: previewer (reads everything), editor (writes content), " +
                              "admin (also API keys, webhooks and the audit log). Public reads need no key.",
            });
            o.OperationFilter<ParameterDescriptions>();
            o.OperationFilter<KeyRequirements>();
            o.OperationFilter<ProblemResponses>();
            o.OperationFilter<ExampleFilter>();
            o.OperationFilter<CachingHeaders>();
            o.OperationFilter<RateLimitResponses>();
            o.OperationFilter<IfMatchHeader>();
            o.OperationFilter<Scripts.ScriptDocs>();
        });
        services.AddExamples(HealthEndpoints.Examples);
        return services;
    }

    public static WebApplication UseOpenApiDocument(this WebApplication app)
    {
        app.UseSwagger();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint(DocumentPath, "NewsApi v1");
            o.DocumentTitle = "NewsApi";
            o.DisplayOperationId();
            // Off unless asked: a persisted key sits in the browser's localStorage, readable by any script on the origin.
            if (app.Configuration.GetValue<bool>(PersistAuthorizationKey))
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
