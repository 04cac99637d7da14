using System.Globalization;
using System.Reflection;
using System.Text.Json;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace NewsApi.Api.OpenApi;

/// <summary>
/// Every string, array and integer a client may send carries the bound the service enforces, so a client can check
/// before sending and a gateway can reject early. The bounds are read from whatever FluentValidation validator is
/// registered for the type (MaximumLength, InclusiveBetween, MaxCount, MaxItemLength; RuleForEach bounds the items). Strings with a
/// fixed format (times, dates, ids) get that format's length everywhere, responses included.
/// </summary>
internal sealed class InputBounds(IServiceScopeFactory scopes) : ISchemaFilter
{
    public const int MaxTimeLength = 35; // 2023-11-11T10:30:00.1234567+08:00 and then some

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema s)
            return;
        if (s.Type == JsonSchemaType.String || s.Type == (JsonSchemaType.String | JsonSchemaType.Null))
            s.MaxLength ??= FormatLength(s.Format);
        if (s.Properties is not { Count: > 0 } properties)
            return;
        foreach (var property in properties.Values.OfType<OpenApiSchema>())
            if (property.Format is not null)
                property.MaxLength ??= FormatLength(property.Format);

        var validated = context.Type.GetCustomAttribute<ValidatedAsAttribute>()?.Type ?? context.Type;
        using var scope = scopes.CreateScope();
        if (scope.ServiceProvider.GetService(typeof(IValidator<>).MakeGenericType(validated)) is not IValidator validator)
            return;
        foreach (var rule in validator.CreateDescriptor().Rules)
        {
            if (rule.PropertyName is null || !properties.TryGetValue(JsonNamingPolicy.CamelCase.ConvertName(rule.PropertyName), out var member)
                || member is not OpenApiSchema target)
                continue;
            // A count bounds the array; lengths and ranges of an array bound its items.
            var value = target.Items as OpenApiSchema ?? target;
            foreach (var component in rule.Components)
                switch (component.Validator)
                {
                    case ICountValidator count:
                        target.MaxItems = count.Max;
                        break;
                    case IItemLengthValidator each when target.Items is OpenApiSchema items:
                        items.MaxLength = each.Max;
                        break;
                    case ILengthValidator { Max: > 0 } l:
                        value.MaxLength = l.Max;
                        break;
                    case IBetweenValidator b:
                        value.Minimum = Convert.ToString(b.From, CultureInfo.InvariantCulture);
                        value.Maximum = Convert.ToString(b.To, CultureInfo.InvariantCulture);
                        break;
                }
        }
    }

    static int? FormatLength(string? format) => format switch
    {
        "date-time" => MaxTimeLength,
        "date" => 10,
        "uuid" => 36,
        _ => null,
    };
}

/// <summary>The type's members are validated by <paramref name="type"/>'s validator, so they carry its bounds.</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class ValidatedAsAttribute(Type type) : Attribute
{
    public Type Type => type;
}
