using System.Globalization;
using Microsoft.OpenApi;
using NewsApi.Content;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Import;

/// <summary>
/// The bounds of the members an import item adds to an article write, which the import checks itself rather than
/// through a validator (the article's own bounds come from its validator, see <see cref="ImportItem"/>).
/// </summary>
internal sealed class ImportItemBounds : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (context.Type != typeof(ImportItem) || schema is not OpenApiSchema { Properties: { } properties })
            return;
        if (properties.TryGetValue("topics", out var topicsMember) && topicsMember is OpenApiSchema topics)
        {
            topics.MaxItems = ImportWriter.MaxTopics;
            if (topics.Items is OpenApiSchema topic)
                topic.MaxLength = Slugs.MaxLength;
        }
        if (properties.TryGetValue("status", out var statusMember) && statusMember is OpenApiSchema status)
            status.MaxLength = ImportStatuses.MaxLength;
        if (properties.TryGetValue("version", out var versionMember) && versionMember is OpenApiSchema version)
            (version.Minimum, version.Maximum) = ("0", long.MaxValue.ToString(CultureInfo.InvariantCulture));
    }
}
