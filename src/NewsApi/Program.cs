using Mapster;
using NewsApi.Api;
using NewsApi.Api.Auth;
using NewsApi.Data;
using NewsApi.Demo;
using NewsApi.Features.ApiKeys;
using NewsApi.Features.Articles;
using NewsApi.Features.Audit;
using NewsApi.Features.Authors;
using NewsApi.Features.FeaturedLists;
using NewsApi.Features.Sections;
using NewsApi.Features.Tags;
using NewsApi.Features.Topics;
using NewsApi.Scheduling;

var builder = WebApplication.CreateBuilder(args);
await builder.AddNewsDatabaseAsync();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddApiKeyAuth();
builder.Services.AddScoped<ArticleWriter>();
builder.Services.AddScheduler(builder.Configuration);
builder.Services.AddProblems();
builder.Services.AddNewsJson();
builder.Services.AddRequestValidation();
TypeAdapterConfig.GlobalSettings.Scan(typeof(Program).Assembly);
builder.Services.AddOpenApiDocument();
builder.Services.AddDemoContent(builder.Configuration);

var app = builder.Build();
app.UseProblems();
app.UseAuditLog();
app.UseApiKeys();
app.UseOpenApiDocument();
app.MapHealth();
var api = app.MapGroup("/api/v1");
api.MapArticles().MapSections().MapTopics().MapFeaturedLists().MapTags().MapAuthors().MapApiKeys().MapAudit();

await app.MigrateAsync();
await app.EnsureAdminKeyAsync();
await app.LoadDemoContentAsync();
app.LogSwaggerAddress();
app.Run();

public partial class Program;
