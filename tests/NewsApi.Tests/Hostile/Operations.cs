using System.Text.Json.Nodes;

namespace NewsApi.Tests.Hostile;

/// <summary>One parameter of an operation as the committed document declares it.</summary>
public sealed record Parameter(string Name, string In, string? Type, string? Format, IReadOnlyList<string> Enum);

/// <summary>One request body media type of an operation, with the example the document gives for it.</summary>
public sealed record BodyType(string MediaType, JsonNode? Example);

/// <summary>One path and method of openapi/v1.json.</summary>
public sealed record Operation(string Method, string Path, bool Secured, IReadOnlyList<Parameter> Parameters, IReadOnlyList<BodyType> Bodies)
{
    public HttpMethod HttpMethod => new(Method);
    public bool Safe => Method is "GET" or "HEAD" or "OPTIONS";
    public IEnumerable<Parameter> Query => Parameters.Where(p => p.In == "query");
    public IEnumerable<Parameter> InPath => Parameters.Where(p => p.In == "path");
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>The operations of the committed OpenAPI document, read afresh on every run so a new one is never left out.</summary>
public static class Operations
{
    static readonly string[] Methods = ["get", "put", "post", "patch", "delete"];

    public static readonly IReadOnlyList<Operation> All = Load();

    static List<Operation> Load()
    {
        var root = NewsApi.Development.RepositoryRoot.Find(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("NewsApi.sln not found above the test binaries.");
        var document = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "openapi", "v1.json")))!;
        var operations = new List<Operation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, op) in item!.AsObject().Where(o => Methods.Contains(o.Key)))
            {
                var parameters = (op!["parameters"]?.AsArray() ?? []).Select(p => new Parameter(
                    (string)p!["name"]!, (string)p["in"]!, (string?)p["schema"]?["type"], (string?)p["schema"]?["format"],
                    (p["schema"]?["enum"]?.AsArray() ?? []).Select(e => e!.ToString()).ToList())).ToList();
                var bodies = (op["requestBody"]?["content"]?.AsObject() ?? [])
                    .Select(c => new BodyType(c.Key, c.Value!["example"]?.DeepClone())).ToList();
                var secured = op["security"] is JsonArray { Count: > 0 };
                operations.Add(new Operation(method.ToUpperInvariant(), path, secured, parameters, bodies));
            }
        return operations;
    }
}
