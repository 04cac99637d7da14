using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Json.Schema;

namespace NewsApi.Tests.Feeds;

/// <summary>
/// Validators built from the specifications in Specs/ (sitemaps.org and Google News XSDs, the JSON Feed schema,
/// IPTC's ninjs schemas), so outputs are checked against the published formats, not our reading of them.
/// </summary>
public static class SharedSpecs
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Specs");

    static readonly Lazy<XmlSchemaSet> UrlSetSchemas = new(() => Schemas("sitemap.xsd", "sitemap-news.xsd"));
    static readonly Lazy<XmlSchemaSet> IndexSchemas = new(() => Schemas("siteindex.xsd"));

    /// <summary>Validates a sitemap (with news:* when present) or a sitemap index and returns the parsed document.</summary>
    public static XDocument ValidSitemap(string xml)
    {
        var document = XDocument.Parse(xml);
        var schemas = document.Root!.Name.LocalName == "sitemapindex" ? IndexSchemas.Value : UrlSetSchemas.Value;
        var errors = new List<string>();
        document.Validate(schemas, (_, e) => errors.Add($"{e.Severity}: {e.Message}"));
        Assert.True(errors.Count == 0, "Not valid against the XSD:\n" + string.Join("\n", errors) + "\n" + xml);
        return document;
    }

    static XmlSchemaSet Schemas(params string[] files)
    {
        // sitemap.xsd admits foreign elements strictly, so the news schema must sit in the same set.
        var set = new XmlSchemaSet();
        foreach (var file in files)
            using (var reader = XmlReader.Create(Path.Combine(Folder, "sitemaps", file)))
                set.Add(null, reader);
        set.Compile();
        return set;
    }

    static readonly Lazy<JsonSchema> JsonFeedSchema = new(() =>
        JsonSchema.FromFile(Path.Combine(Folder, "jsonfeed", "jsonfeed-schema-v1.1.json"), new BuildOptions { SchemaRegistry = new SchemaRegistry() }));

    static readonly Lazy<BuildOptions> NinjsBuild = new(() =>
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        // The ninjs schemas $ref GeoJSON by its public address; IPTC's test suite ships a copy.
        JsonSchema.FromFile(Path.Combine(Folder, "ninjs", "test_suite", "GeoJSON-schema.json"), options);
        return options;
    });

    static readonly Lazy<JsonSchema> Ninjs31 = new(() => JsonSchema.FromFile(Path.Combine(Folder, "ninjs", "schema", "ninjs-schema_3.1.json"), NinjsBuild.Value));
    static readonly Lazy<JsonSchema> Ninjs30 = new(() => JsonSchema.FromFile(Path.Combine(Folder, "ninjs", "schema", "ninjs-schema_3.0.json"), NinjsBuild.Value));
    static readonly Lazy<JsonSchema> Ninjs22 = new(() => JsonSchema.FromFile(Path.Combine(Folder, "ninjs", "schema", "ninjs-schema_2.2.json"), NinjsBuild.Value));

    public static void AssertValidJsonFeed(JsonNode feed) => AssertValid(JsonFeedSchema.Value, feed, "JSON Feed 1.1");

    public static void AssertValidNinjs(JsonNode item, string version)
    {
        var schema = version switch
        {
            "3.1" => Ninjs31.Value,
            "3.0" => Ninjs30.Value,
            "2.2" => Ninjs22.Value,
            _ => throw new ArgumentOutOfRangeException(nameof(version)),
        };
        AssertValid(schema, item, "ninjs " + version);
    }

    public static bool IsValidNinjs(JsonNode item, string version) => (version == "3.1" ? Ninjs31.Value : Ninjs22.Value)
        .Evaluate(JsonDocument.Parse(item.ToJsonString()).RootElement, Evaluation).IsValid;

    static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    static void AssertValid(JsonSchema schema, JsonNode instance, string what)
    {
        var results = schema.Evaluate(JsonDocument.Parse(instance.ToJsonString()).RootElement, Evaluation);
        var errors = results.Details?.Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}")).ToList() ?? [];
        Assert.True(results.IsValid, $"Not valid {what}:\n{string.Join("\n", errors)}\n{instance.ToJsonString(new JsonSerializerOptions { WriteIndented = true })}");
    }
}
