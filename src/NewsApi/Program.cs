using Mapster;
using NewsApi.Api;
using NewsApi.Data;
using NewsApi.Demo;
using NewsApi.Features.Articles;
using NewsApi.Features.Authors;
using NewsApi.Features.FeaturedLists;
using NewsApi.Features.Sections;
using NewsApi.Features.Tags;
using NewsApi.Features.Search;
using NewsApi.Features.Topics;
using NewsApi.Search;

var builder = WebApplication.CreateBuilder(args);
await builder.AddNewsDatabaseAsync();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddProblems();
builder.Services.AddNewsJson();
builder.Services.AddRequestValidation();
TypeAdapterConfig.GlobalSettings.Scan(typeof(Program).Assembly);
builder.Services.AddOpenApiDocument();
builder.Services.AddDemoContent(builder.Configuration);
builder.Services.AddSearch(builder.Configuration);

var app = builder.Build();
app.UseProblems();
app.UseOpenApiDocument();
app.MapHealth();
var api = app.MapGroup("/api/v1");
api.MapArticles().MapSections().MapTopics().MapFeaturedLists().MapTags().MapAuthors().MapSearch();

await app.MigrateAsync();
await app.LoadDemoContentAsync();
app.LogSwaggerAddress();
app.Run();

public partial class Program;
