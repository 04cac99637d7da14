using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using NewsApi.Content;
using NewsApi.Data.Entities;

namespace NewsApi.Import.Ninjs;

/// <summary>
/// IPTC ninjs items (3.x with camelCase members, 2.x with lowercase ones), validated against IPTC's own schemas
/// (3.1 and 2.2, embedded from Import/Ninjs/schemas) before they are mapped onto an import item.
/// </summary>
internal static partial class NinjsImport
{
    static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };
    static readonly Lazy<(JsonSchema V3, JsonSchema V2)> Schemas = new(Load);

    static (JsonSchema, JsonSchema) Load()
    {
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        // The ninjs schemas $ref GeoJSON by its public address; never fetched, the copy IPTC's test suite ships is registered.
        JsonSchema.FromText(Resource("GeoJSON-schema.json"), options);
        return (JsonSchema.FromText(Resource("ninjs-schema_3.1.json"), options), JsonSchema.FromText(Resource("ninjs-schema_2.2.json"), options));
    }

    static string Resource(string name)
    {
        using var stream = typeof(NinjsImport).Assembly.GetManifestResourceStream($"NewsApi.Import.Ninjs.schemas.{name}")
                           ?? throw new InvalidOperationException($"The embedded ninjs schema {name} is missing.");
        return new StreamReader(stream).ReadToEnd();
    }

    public static ParsedItem Parse(int line, byte[] bytes)
    {
        JsonElement item;
        try
        {
            item = JsonDocument.Parse(bytes).RootElement;
        }
        catch (JsonException)
        {
            return Invalid(line, null, "ninjs", "The item is not valid JSON.");
        }
        // The parser leaves strings undecoded; every later read (schema, uri, mapping) would throw on broken UTF-8.
        if (!ValidText(item))
            return Invalid(line, null, "ninjs", "The item holds text that is not valid Unicode (broken UTF-8 or a lone surrogate).");
        if (item.ValueKind != JsonValueKind.Object)
            return Invalid(line, null, "ninjs", "A ninjs item is a JSON object.");
        var uri = item.TryGetProperty("uri", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;

        // 3.x writes versionCreated, 2.x versioncreated: the item's spelling says which schema it must satisfy. Trying
        // the other one as a fallback would let through what its own version forbids (3.x urgency 0.1 is fine in 2.x).
        var is3 = !LooksLike2(item);
        var (v3, v2) = Schemas.Value;
        var evaluation = (is3 ? v3 : v2).Evaluate(item, Evaluation);
        if (!evaluation.IsValid)
            return new(line, null, new Dictionary<string, string[]> { ["ninjs"] = SchemaErrors(evaluation, is3 ? "3.1" : "2.2") }, uri);
        return Map(line, item, is3, uri!);
    }

    static readonly HashSet<string> Only2 =
    [
        "versioncreated", "firstcreated", "contentcreated", "copyrightholder", "copyrightnotice", "usageterms", "ednote",
        "contenttype", "representationtype", "pubstatus", "trustindicators", "rightsinfo", "altids", "infosources", "mimetype", "sizeinbytes", "digitalsourcetype",
    ];

    static bool LooksLike2(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Any(p => Only2.Contains(p.Name) || LooksLike2(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().Any(LooksLike2),
        _ => false,
    };

    static string[] SchemaErrors(EvaluationResults results, string version) =>
        (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {e.Value}"))
            .Distinct().Take(10).Prepend($"Not valid IPTC ninjs {version}.").ToArray();

    static ParsedItem Map(int line, JsonElement item, bool v3, string uri)
    {
        string Name(string v3Name) => v3 ? v3Name : v3Name.ToLowerInvariant();
        var title = Text(item, "headlines") ?? String(item, "headline") ?? String(item, "title");
        if (title is null)
            return Invalid(line, uri, "headlines", "A ninjs item needs a headline (headlines[] with role main) to become an article.");

        var tags = new Dictionary<string, string>();
        if (item.TryGetProperty("subjects", out var subjects) && subjects.ValueKind == JsonValueKind.Array)
            foreach (var subject in subjects.EnumerateArray())
                if (String(subject, "name") is { Length: > 0 } name)
                    tags.TryAdd(Slugs.From(name, SubjectFallback(subject)), name.Length > 100 ? name[..100] : name);

        long? version = null;
        if (String(item, "version") is { } v)
        {
            if (!long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                return Invalid(line, uri, "version", $"version '{v}' is not a whole number, so it cannot be ordered against the stored one.");
            version = number;
        }

        var located = String(item, "located");
        var created = String(item, Name("versionCreated")) ?? String(item, Name("firstCreated"));
        DateOnly? date = DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? DateOnly.FromDateTime(at.UtcDateTime) : null;
        var embargo = String(item, "embargoed") is { } e && DateTimeOffset.TryParse(e, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var until) ? until : (DateTimeOffset?)null;

        var (cover, pictures) = Pictures(item);
        var body = Body(item, Name("contentType"));
        var mapped = new ImportItem(
            Title: TextCleaner.Clean(title),
            ExternalId: uri,
            Summary: Text(item, "descriptions") is { } summary ? TextCleaner.Clean(StripTags(summary)) : null,
            Body: pictures.Count == 0 ? body : [.. body ?? [], .. pictures],
            CoverImage: cover,
            Dateline: located is null ? null : new Dateline(null, located, date, located),
            Byline: String(item, "by"),
            Source: String(item, Name("copyrightHolder")),
            Language: String(item, "language"),
            Tags: tags.Count == 0 ? null : tags.Keys.ToList(),
            EmbargoUntil: embargo,
            Version: version);
        return new(line, mapped, TagNames: tags);
    }

    /// <summary>
    /// The main body, as paragraph and heading blocks: HTML (body_xhtml, text/html, application/xhtml+xml) is read
    /// element by element rather than kept as an html block, so the table of contents, character count and
    /// plain-text rendering work as for any article; plain text is split at line breaks.
    /// </summary>
    static List<Block>? Body(JsonElement item, string contentType)
    {
        if (!item.TryGetProperty("bodies", out var bodies) || bodies.ValueKind != JsonValueKind.Array)
            return String(item, "body_html") is { } legacyHtml ? FromHtml(legacyHtml) : String(item, "body_text") is { } legacyText ? FromText(legacyText) : null;
        var all = bodies.EnumerateArray().Where(b => String(b, "value") is not null).ToList();
        var html = all.FirstOrDefault(b => String(b, contentType) is { } t && (t.Contains("html") || t.Contains("xhtml")));
        if (html.ValueKind == JsonValueKind.Object)
            return FromHtml(String(html, "value")!);
        var main = all.FirstOrDefault(b => String(b, "role") is null or "main");
        return main.ValueKind == JsonValueKind.Object ? FromText(String(main, "value")!) : all.Count > 0 ? FromText(String(all[0], "value")!) : null;
    }

    /// <summary>
    /// The pictures among the associations, as the ninjs export writes them (NinjsMapper): featureimage becomes the
    /// cover; every other picture an image block after the text, in order, and consecutive ones of rel gallery (3.x
    /// only: 2.x has no rel) one gallery block. Each keeps its uri as its url (a URL-only image, as an image given by
    /// url), its caption and alt (descriptions by role), its credit (by) and the size of the rendition at that uri.
    /// Videos and their posters are left out: a video block has no ninjs form to come back from.
    /// </summary>
    static (Image? Cover, List<Block> Pictures) Pictures(JsonElement item)
    {
        Image? cover = null;
        var blocks = new List<Block>();
        List<Image>? gallery = null;
        if (!item.TryGetProperty("associations", out var associations) || associations.ValueKind != JsonValueKind.Array)
            return (null, blocks);
        foreach (var association in associations.EnumerateArray())
        {
            var (name, rel) = (String(association, "name"), String(association, "rel"));
            if (String(association, "type") != "picture" || String(association, "uri") is not { Length: > 0 } uri
                || rel == "poster" || name?.EndsWith("-poster", StringComparison.Ordinal) == true)
                continue;
            var image = Picture(association, uri);
            if (rel == "featureimage" || name == "featureimage")
            {
                cover ??= image;
                continue;
            }
            if (rel == "gallery")
            {
                if (gallery is null)
                    blocks.Add(new Block(BlockTypes.Gallery, Images: gallery = []));
                gallery.Add(image);
                continue;
            }
            gallery = null;
            blocks.Add(new Block(BlockTypes.Image, Url: image.Url, Caption: image.Caption, Credit: image.Credit, Alt: image.Alt,
                Width: image.Width, Height: image.Height));
        }
        return (cover, blocks);
    }

    static Image Picture(JsonElement picture, string uri)
    {
        string? Description(string role) => picture.TryGetProperty("descriptions", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(d => String(d, "role") == role).Select(d => String(d, "value")).FirstOrDefault(v => v is { Length: > 0 })
            : null;
        var renditions = picture.TryGetProperty("renditions", out var r) && r.ValueKind == JsonValueKind.Array ? r.EnumerateArray().ToList() : [];
        var shown = renditions.FirstOrDefault(x => String(x, "href") == uri);
        int? Size(string member) => shown.ValueKind == JsonValueKind.Object && shown.TryGetProperty(member, out var v)
                                    && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : null;
        return new Image(uri, Description("caption") is { } caption ? TextCleaner.Clean(caption) : null, String(picture, "by"),
            Description("alt"), Size("width"), Size("height"));
    }

    // A figure is a picture with its caption, not text (a gallery's is a list of them): the pictures come from the associations.
    static List<Block> FromHtml(string html) => HtmlBlock().Matches(Figure().Replace(html, ""))
        .Select(m => (Tag: m.Groups["tag"].Value.ToLowerInvariant(), Text: TextCleaner.Clean(StripTags(m.Groups["inner"].Value))))
        .Where(b => b.Text.Length > 0)
        .Select(b => b.Tag.StartsWith('h') ? Block.Heading(b.Text, Math.Clamp(b.Tag[1] - '0', 2, 4)) : Block.Paragraph(b.Text))
        .ToList();

    static List<Block> FromText(string text) => TextCleaner.Clean(text).Split('\n')
        .Where(l => l.Length > 0).Select(Block.Paragraph).ToList();

    static string StripTags(string html) => WebUtility.HtmlDecode(Tag().Replace(html, "")).Trim();

    static string SubjectFallback(JsonElement subject) =>
        Slugs.From(String(subject, "code") ?? String(subject, "uri") ?? "subject", "subject");

    /// <summary>The value of the main entry of headlines or descriptions (or the first one).</summary>
    static string? Text(JsonElement item, string member)
    {
        if (!item.TryGetProperty(member, out var list) || list.ValueKind != JsonValueKind.Array)
            return null;
        var entries = list.EnumerateArray().Where(e => String(e, "value") is { Length: > 0 }).ToList();
        var main = entries.FirstOrDefault(e => String(e, "role") is "main" or "summary");
        return main.ValueKind == JsonValueKind.Object ? String(main, "value") : entries.Count > 0 ? String(entries[0], "value") : null;
    }

    /// <summary>Whether every string and member name decodes: invalid UTF-8 and lone surrogates do not.</summary>
    static bool ValidText(JsonElement e)
    {
        try
        {
            return e.ValueKind switch
            {
                JsonValueKind.String => e.GetString() is not null,
                JsonValueKind.Object => e.EnumerateObject().All(p => p.Name is not null && ValidText(p.Value)),
                JsonValueKind.Array => e.EnumerateArray().All(ValidText),
                _ => true,
            };
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    static string? String(JsonElement e, string member) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(member, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static ParsedItem Invalid(int line, string? uri, string member, string message) =>
        new(line, null, new Dictionary<string, string[]> { [member] = [message] }, uri);

    // Each element spelled out (no back-reference) so the match is linear: unclosed "<p>"s cannot make it quadratic.
    [GeneratedRegex(@"<(?<tag>p)\b[^>]*>(?<inner>.*?)</p\s*>|<(?<tag>li)\b[^>]*>(?<inner>.*?)</li\s*>|<(?<tag>blockquote)\b[^>]*>(?<inner>.*?)</blockquote\s*>"
        + @"|<(?<tag>h1)\b[^>]*>(?<inner>.*?)</h1\s*>|<(?<tag>h2)\b[^>]*>(?<inner>.*?)</h2\s*>|<(?<tag>h3)\b[^>]*>(?<inner>.*?)</h3\s*>"
        + @"|<(?<tag>h4)\b[^>]*>(?<inner>.*?)</h4\s*>|<(?<tag>h5)\b[^>]*>(?<inner>.*?)</h5\s*>|<(?<tag>h6)\b[^>]*>(?<inner>.*?)</h6\s*>",
        RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex HtmlBlock();

    [GeneratedRegex(@"<figure\b.*?</figure\s*>", RegexOptions.Singleline | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex Figure();

    [GeneratedRegex("<[^>]+>", RegexOptions.NonBacktracking)]
    private static partial Regex Tag();
}
