using Mapster;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Changes;
using NewsApi.Data;
using NewsApi.Demo;
using NewsApi.Features.ApiKeys;
using NewsApi.Features.Articles;
using NewsApi.Features.Articles.Representations;
using NewsApi.Features.Audit;
using NewsApi.Features.Authors;
using NewsApi.Features.FeaturedLists;
using NewsApi.Features.Search;
using NewsApi.Features.Sections;
using NewsApi.Features.Tags;
using NewsApi.Features.Topics;
using NewsApi.Features.Webhooks;
using NewsApi.Feeds;
using NewsApi.Import;
using NewsApi.Scheduling;
using NewsApi.Search;
using NewsApi.Site;
using NewsApi.Webhooks;

var builder = WebApplication.CreateBuilder(args.Where(a => a != DatabaseSetup.MigrateOnly).ToArray());
builder.AddNewsDatabase();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddApiKeyAuth();
builder.Services.AddScoped<NewsApi.Articles.ArticleWriter>();
builder.Services.AddScheduler(builder.Configuration);
builder.Services.AddWebhooks(builder.Configuration);
builder.Services.AddChangeRecording();
builder.Services.AddPublicReadCaching(builder.Configuration);
builder.Services.AddProblems();
builder.Services.AddBrowserAccess();
builder.Services.AddNewsJson();
builder.Services.AddRequestValidation();
TypeAdapterConfig.GlobalSettings.Scan(typeof(Program).Assembly);
builder.Services.AddOpenApiDocument();
builder.Services.AddDemoContent(builder.Configuration);
builder.Services.AddSite(builder.Configuration);
builder.Services.AddArticleRepresentations();
builder.Services.AddSearch(builder.Configuration);
builder.Services.AddImport(builder.Configuration);

var app = builder.Build();
if (await app.RunDatabaseStepAsync(args) is int exitCode)
    return exitCode;
app.UseProblems();
app.UseCors();
app.UseAuditLog();
app.UseApiKeys();
app.UsePublicReadCaching();
// After the caches: a search answered from a cache takes no turn.
app.UseRateLimiter();
app.UseOpenApiDocument();
app.MapHealth();
var api = app.MapGroup(ApiRoutes.Prefix);
api.MapArticles().MapSections().MapTopics().MapFeaturedLists().MapTags().MapAuthors().MapSearch().MapApiKeys().MapAudit().MapImport().MapWebhooks();
app.MapFeeds();

await app.MigrateAsync();
await app.EnsureAdminKeyAsync();
await app.LoadDemoContentAsync();
app.LogSwaggerAddress();
app.Run();
return 0;

public partial class Program;
