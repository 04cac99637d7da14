using System.Text.Json;
using System.Text.Json.Nodes;

namespace NewsApi.Tests.Feeds;

/// <summary>
/// Checks JSON-LD against the part of the schema.org vocabulary our documents use: every <c>@type</c> is a schema.org
/// type, every property may be used on its object's type (its domain includes one of the type's ancestors) and every
/// value is of a type its range allows. Types, domains and ranges are as schema.org (https://schema.org, version 29,
/// CC BY-SA 3.0) defines them; a property or type missing here fails the check until it is looked up and added.
/// </summary>
public static class SchemaOrg
{
    /// <summary>Each type's parents.</summary>
    static readonly Dictionary<string, string[]> Types = new()
    {
        ["Thing"] = [],
        ["CreativeWork"] = ["Thing"],
        ["Article"] = ["CreativeWork"],
        ["NewsArticle"] = ["Article"],
        ["AnalysisNewsArticle"] = ["NewsArticle"],
        ["OpinionNewsArticle"] = ["NewsArticle"],
        ["ReviewNewsArticle"] = ["NewsArticle", "CriticReview"],
        ["CriticReview"] = ["Review"],
        ["Review"] = ["CreativeWork"],
        ["AdvertiserContentArticle"] = ["Article"],
        ["Comment"] = ["CreativeWork"],
        ["CorrectionComment"] = ["Comment"],
        ["WebPage"] = ["CreativeWork"],
        ["WebPageElement"] = ["CreativeWork"],
        ["MediaObject"] = ["CreativeWork"],
        ["ImageObject"] = ["MediaObject"],
        ["VideoObject"] = ["MediaObject"],
        ["CreativeWorkSeries"] = ["CreativeWork", "Series"],
        ["Series"] = ["Intangible"],
        ["Intangible"] = ["Thing"],
        ["Organization"] = ["Thing"],
        ["Person"] = ["Thing"],
        ["Place"] = ["Thing"],
    };

    /// <summary>Each property's domain and range (data types: Text, URL, Boolean, Integer, Number, Date, DateTime).</summary>
    static readonly Dictionary<string, (string[] Domain, string[] Range)> Properties = new()
    {
        ["identifier"] = (["Thing"], ["PropertyValue", "Text", "URL"]),
        ["url"] = (["Thing"], ["URL"]),
        ["name"] = (["Thing"], ["Text"]),
        ["description"] = (["Thing"], ["Text"]),
        ["mainEntityOfPage"] = (["Thing"], ["CreativeWork", "URL"]),
        ["image"] = (["Thing"], ["ImageObject", "URL"]),
        ["headline"] = (["CreativeWork"], ["Text"]),
        ["alternativeHeadline"] = (["CreativeWork"], ["Text"]),
        ["author"] = (["CreativeWork"], ["Organization", "Person"]),
        ["keywords"] = (["CreativeWork"], ["DefinedTerm", "Text", "URL"]),
        ["datePublished"] = (["CreativeWork"], ["Date", "DateTime"]),
        ["dateModified"] = (["CreativeWork"], ["Date", "DateTime"]),
        ["inLanguage"] = (["CreativeWork"], ["Language", "Text"]),
        ["isPartOf"] = (["CreativeWork"], ["CreativeWork", "URL"]),
        ["hasPart"] = (["CreativeWork"], ["CreativeWork"]),
        ["publisher"] = (["CreativeWork"], ["Organization", "Person"]),
        ["sourceOrganization"] = (["CreativeWork"], ["Organization"]),
        ["genre"] = (["CreativeWork"], ["Text", "URL"]),
        ["isAccessibleForFree"] = (["CreativeWork"], ["Boolean"]),
        ["correction"] = (["CreativeWork"], ["CorrectionComment", "Text", "URL"]),
        ["comment"] = (["CreativeWork"], ["Comment"]),
        ["isBasedOn"] = (["CreativeWork"], ["CreativeWork", "Product", "URL"]),
        ["locationCreated"] = (["CreativeWork"], ["Place"]),
        ["creditText"] = (["CreativeWork"], ["Text"]),
        ["text"] = (["CreativeWork"], ["Text"]),
        ["articleBody"] = (["Article"], ["Text"]),
        ["articleSection"] = (["Article"], ["Text"]),
        ["wordCount"] = (["Article"], ["Integer"]),
        ["dateline"] = (["NewsArticle"], ["Text"]),
        ["caption"] = (["ImageObject", "VideoObject"], ["MediaObject", "Text"]),
        ["video"] = (["CreativeWork"], ["Clip", "VideoObject"]),
        ["contentUrl"] = (["MediaObject"], ["URL"]),
        ["thumbnailUrl"] = (["CreativeWork"], ["URL"]),
        ["uploadDate"] = (["MediaObject"], ["Date", "DateTime"]),
        // schema.org's range is Distance or QuantitativeValue; a bare number is what Google's examples use.
        ["width"] = (["MediaObject"], ["Distance", "QuantitativeValue", "Integer"]),
        ["height"] = (["MediaObject"], ["Distance", "QuantitativeValue", "Integer"]),
        ["cssSelector"] = (["WebPageElement"], ["Text"]),
    };

    public static void AssertValid(JsonNode document)
    {
        var errors = new List<string>();
        Check(document, "$", errors);
        Assert.True(errors.Count == 0, "Not valid schema.org:\n" + string.Join("\n", errors) + "\n" + document.ToJsonString());
    }

    /// <summary>Whether <paramref name="type"/> is <paramref name="ancestor"/> or descends from it.</summary>
    public static bool IsA(string type, string ancestor) =>
        type == ancestor || Types.TryGetValue(type, out var parents) && parents.Any(p => IsA(p, ancestor));

    static void Check(JsonNode node, string path, List<string> errors)
    {
        if (node is not JsonObject o)
            return;
        var type = (string?)o["@type"];
        if (type is null || !Types.ContainsKey(type))
        {
            errors.Add($"{path}: @type '{type}' is not a schema.org type this check knows");
            return;
        }
        foreach (var (name, value) in o)
        {
            if (name.StartsWith('@'))
                continue;
            if (!Properties.TryGetValue(name, out var property))
            {
                errors.Add($"{path}.{name}: not a schema.org property this check knows");
                continue;
            }
            if (!property.Domain.Any(d => IsA(type, d)))
                errors.Add($"{path}.{name}: not a property of {type}");
            foreach (var (item, i) in (value is JsonArray array ? array.ToList() : [value]).Select((v, i) => (v, i)))
                CheckValue(item, property.Range, $"{path}.{name}[{i}]", errors);
        }
    }

    static void CheckValue(JsonNode? value, string[] range, string path, List<string> errors)
    {
        switch (value)
        {
            case JsonObject o:
                if ((string?)o["@type"] is { } t && !range.Any(r => IsA(t, r)))
                    errors.Add($"{path}: a {t} where {string.Join(" or ", range)} belongs");
                Check(o, path, errors);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = (string)v!;
                var fits = range.Contains("Text") || range.Contains("URL") && Uri.IsWellFormedUriString(text, UriKind.Absolute)
                           || (range.Contains("DateTime") || range.Contains("Date")) && DateTimeOffset.TryParse(text, out _);
                if (!fits)
                    errors.Add($"{path}: text '{text}' where {string.Join(" or ", range)} belongs");
                break;
            case JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                if (!range.Contains("Boolean"))
                    errors.Add($"{path}: a boolean where {string.Join(" or ", range)} belongs");
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                if (!range.Contains("Integer") && !range.Contains("Number"))
                    errors.Add($"{path}: a number where {string.Join(" or ", range)} belongs");
                break;
            default:
                errors.Add($"{path}: {value?.GetValueKind().ToString() ?? "null"} is no schema.org value");
                break;
        }
    }
}
